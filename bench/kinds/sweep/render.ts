import type { KindSection } from '../types.ts';
import type { SweepAnalysis, SweepGroup } from './analyze.ts';
import { renderBarChart } from '../../report/bar-chart.ts';
import { withinSlo, type SweepPoint } from './recommend.ts';

/** The sweep's own section of the terminal output and of report.md, from results.extra.sweep alone (pure). */

interface Column {
  header: string;
  numeric: boolean;
  value: (p: SweepPoint, g: SweepGroup) => string;
}

const ms = (n: number) => (n < 10 ? n.toFixed(3) : n.toFixed(1));
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function mark(p: SweepPoint, g: SweepGroup): string {
  const r = g.recommendation;
  return p.poolMax === r.recommendedPoolMax ? '★' : p.poolMax === r.kneePoolMax ? '◆' : '';
}

function columns(analysis: SweepAnalysis, group: SweepGroup): Column[] {
  const peak = group.recommendation.peak?.requestsPerSec ?? 0;
  const cols: Column[] = [
    { header: 'pool', numeric: true, value: (p, g) => `${mark(p, g)} ${p.poolMax}`.trim() },
    { header: 'req/s', numeric: true, value: (p) => int(p.requestsPerSec) },
    {
      header: '95% CI',
      numeric: true,
      value: (p) => (p.requestsPerSecCi95 ? `${int(p.requestsPerSecCi95[0])}–${int(p.requestsPerSecCi95[1])}` : 'n<3'),
    },
    {
      header: '% of peak',
      numeric: true,
      value: (p) => (peak > 0 ? `${Math.round((p.requestsPerSec / peak) * 100)}%` : '–'),
    },
    { header: 'p50 ms', numeric: true, value: (p) => ms(p.p50Ms) },
    { header: 'p99 ms', numeric: true, value: (p) => ms(p.p99Ms) },
    { header: 'SLO', numeric: false, value: (p) => (withinSlo(p, analysis.criteria) ? 'ok' : 'FAIL') },
    { header: 'errors', numeric: true, value: (p) => `${(p.errorRate * 100).toFixed(2)}%` },
    {
      header: 'pool waiting',
      numeric: true,
      value: (p) => (p.poolWaitingMax === null ? 'n/a' : int(p.poolWaitingMax)),
    },
    { header: 'DB backends', numeric: true, value: (p) => int(p.dbBackends) },
    { header: 'CPU µs/req', numeric: true, value: (p) => int(p.cpuUsPerRequest) },
    {
      header: 'DB ms/req',
      numeric: true,
      value: (p) => (p.dbTimeUsPerRequest === null ? '–' : ms(p.dbTimeUsPerRequest / 1000)),
    },
    {
      header: 'X·W',
      numeric: true,
      value: (p) =>
        p.dbTimeUsPerRequest === null ? '–' : ((p.requestsPerSec * p.dbTimeUsPerRequest) / 1e6).toFixed(1),
    },
  ];
  if (group.via === 'pgbouncer') {
    cols.push(
      {
        header: 'PgB server conns',
        numeric: true,
        value: (p) => (p.pgbouncer ? `${p.pgbouncer.svActiveMax}/${p.pgbouncer.svTotalMax}` : '–'),
      },
      { header: 'PgB waiting', numeric: true, value: (p) => (p.pgbouncer ? int(p.pgbouncer.clWaitingMax) : '–') },
    );
  }
  if (group.recommendation.points.some((p) => p.generatorBound))
    cols.push({ header: 'flags', numeric: false, value: (p) => (p.generatorBound ? 'generator-bound' : '') });
  return cols;
}

function textTable(cols: Column[], group: SweepGroup): string {
  const grid = [
    cols.map((c) => c.header),
    ...group.recommendation.points.map((p) => cols.map((c) => c.value(p, group))),
  ];
  const widths = cols.map((_, i) => Math.max(...grid.map((row) => row[i]!.length)));
  const lines = grid.map((row) =>
    row
      .map((t, i) => (cols[i]!.numeric ? t.padStart(widths[i]!) : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

function markdownTable(cols: Column[], group: SweepGroup): string {
  const rows = group.recommendation.points.map((p) => `| ${cols.map((c) => c.value(p, group) || ' ').join(' | ')} |`);
  return [
    `| ${cols.map((c) => c.header).join(' | ')} |`,
    `|${cols.map((c) => (c.numeric ? ' --: ' : ' :-- ')).join('|')}|`,
    ...rows,
  ].join('\n');
}

function title(group: SweepGroup): string {
  const load = group.rate === undefined ? `${group.connections} connections` : `${group.rate} req/s`;
  return `Pool sweep · ${group.adapter} · ${group.scenario} · ${load} · ${group.via === 'pgbouncer' ? 'through PgBouncer' : 'direct'}`;
}

function chart(analysis: SweepAnalysis, group: SweepGroup): string {
  return renderBarChart(
    group.recommendation.points.map((p) => ({
      x: p.poolMax,
      marker: mark(p, group) || ' ',
      requestsPerSec: p.requestsPerSec,
      p99Ms: p.p99Ms,
    })),
    { xLabel: 'pool', sloP99Ms: analysis.criteria.sloP99Ms },
  );
}

function headline(group: SweepGroup): string {
  const r = group.recommendation;
  return r.recommendedPoolMax !== null
    ? `Recommended pool size: ${r.recommendedPoolMax}`
    : `No pool size met the criteria${r.bestWithinSlo !== null ? ` (best within the SLO: ${r.bestWithinSlo})` : ''}`;
}

function criteriaLine(analysis: SweepAnalysis): string {
  const c = analysis.criteria;
  return `Criteria: the smallest pool reaching ≥ ${Math.round(c.peakShare * 100)}% of the peak throughput with p99 ≤ ${c.sloP99Ms} ms and errors < ${c.maxErrorRate * 100}% (--peak-share, --slo-p99-ms). ★ recommended, ◆ knee (first pool at ≥ ${Math.round(c.peakShare * 100)}% of the peak).`;
}

function pgbouncerLine(analysis: SweepAnalysis): string | null {
  const b = analysis.pgbouncer;
  if (!b) return null;
  return `Through PgBouncer ${b.version} in transaction mode (default_pool_size ${b.poolSize}): postgres.js ran with prepare: false and no pipelining, because a transaction-pooled server connection does not keep a client's named prepared statements${b.preparedStatements ? ' (this version could, with max_prepared_statements; not used so that runs compare across versions)' : ' (PgBouncer ≥ 1.21 can, with max_prepared_statements; this one cannot)'}. "DB backends" counts PostgreSQL backends last used by this adapter; "PgB server conns" is PgBouncer's active/total server connections.`;
}

export function renderSweepTerminal(analysis: SweepAnalysis): string {
  const parts: string[] = [criteriaLine(analysis)];
  const bouncer = pgbouncerLine(analysis);
  if (bouncer) parts.push(bouncer);
  for (const group of analysis.groups) {
    parts.push(
      [
        title(group),
        textTable(columns(analysis, group), group),
        '',
        chart(analysis, group),
        '',
        headline(group),
        ...group.recommendation.reasoning.map((s) => `  - ${s}`),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

export function renderSweepMarkdown(analysis: SweepAnalysis): string {
  const parts: string[] = ['## Pool sweep: recommendation', criteriaLine(analysis)];
  const bouncer = pgbouncerLine(analysis);
  if (bouncer) parts.push(bouncer);
  for (const group of analysis.groups) {
    parts.push(
      `### ${title(group)}`,
      `**${headline(group)}**`,
      markdownTable(columns(analysis, group), group),
      '```text\n' + chart(analysis, group) + '\n```',
      group.recommendation.reasoning.map((s) => `- ${s}`).join('\n'),
    );
  }
  parts.push(
    '#### How to read this',
    'Each row is one pool size (`--pool`), with the median over rounds. **% of peak** compares it with the best pool of the curve. ' +
      '**pool waiting** is the most requests seen waiting for a connection (pg Pool gauge; n/a for postgres.js, which has none). ' +
      '**DB backends** is the most PostgreSQL backends of the server seen in pg_stat_activity. **DB ms/req** is the mean time a request spent in the ' +
      "repository (jobbench_db_query_duration_seconds, which includes the wait for a connection), and **X·W** is Little's law at that row: requests/s × DB time, " +
      'the mean number of requests inside the database layer (busy connections plus waiting ones; with a pool never short of connections it nears the number of clients, the queue having moved into PostgreSQL). Past the knee, a larger pool adds backends and ' +
      'contention on the database cores without adding throughput: that is why the smallest pool near the peak is recommended.',
  );
  return parts.join('\n\n') + '\n';
}

export const sweepSection: KindSection<SweepAnalysis> = {
  key: 'sweep',
  markdown: renderSweepMarkdown,
  terminal: renderSweepTerminal,
};
