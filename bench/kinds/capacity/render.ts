import type { KindSection } from '../types.ts';
import { renderBarChart } from '../../report/bar-chart.ts';
import type { CapacityAnalysis } from './analyze.ts';
import type { CapacityLevel } from '../../levels/level.ts';
import type { CapacitySlo } from '../../levels/search.ts';

const ms = (n: number) => (n < 10 ? n.toFixed(3) : n.toFixed(1));
const int = (n: number) => Math.round(n).toLocaleString('en-US');

interface Column {
  header: string;
  numeric: boolean;
  value: (l: CapacityLevel) => string;
}

const COLUMNS: Column[] = [
  { header: 'connections', numeric: true, value: (l) => int(l.connections) },
  { header: 'req/s', numeric: true, value: (l) => int(l.requestsPerSec) },
  { header: 'p50 ms', numeric: true, value: (l) => ms(l.p50Ms) },
  { header: 'p99 ms', numeric: true, value: (l) => ms(l.p99Ms) },
  { header: 'errors', numeric: true, value: (l) => `${(l.errorRate * 100).toFixed(2)}%` },
  { header: 'DB backends', numeric: true, value: (l) => int(l.dbBackends) },
  { header: 'pool waiting', numeric: true, value: (l) => (l.poolWaitingMax === null ? 'n/a' : int(l.poolWaitingMax)) },
  {
    header: 'generator CPU',
    numeric: true,
    value: (l) => `${Math.round(l.generatorCpuPercent)}%${l.generatorBound ? ' (bound)' : ''}`,
  },
  { header: 'verdict', numeric: false, value: (l) => (l.held ? 'held' : `FAILED: ${l.breach}`) },
];

function textTable(levels: readonly CapacityLevel[]): string {
  const grid = [COLUMNS.map((c) => c.header), ...levels.map((l) => COLUMNS.map((c) => c.value(l)))];
  const widths = COLUMNS.map((_, i) => Math.max(...grid.map((row) => row[i]!.length)));
  const lines = grid.map((row) =>
    row
      .map((t, i) => (COLUMNS[i]!.numeric ? t.padStart(widths[i]!) : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

function markdownTable(levels: readonly CapacityLevel[]): string {
  return [
    `| ${COLUMNS.map((c) => c.header).join(' | ')} |`,
    `|${COLUMNS.map((c) => (c.numeric ? ' --: ' : ' :-- ')).join('|')}|`,
    ...levels.map((l) => `| ${COLUMNS.map((c) => c.value(l).replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

function chart(search: CapacityAnalysis['searches'][number], slo: CapacitySlo): string {
  return renderBarChart(
    search.curve.map((l) => ({
      x: l.connections,
      marker: l.connections === search.heldConnections ? '★' : l.held ? ' ' : '✗',
      requestsPerSec: l.requestsPerSec,
      p99Ms: l.p99Ms,
    })),
    { xLabel: 'conn', sloP99Ms: slo.p99Ms },
  );
}

function headline(search: CapacityAnalysis['searches'][number]): string {
  const held =
    search.heldConnections === null
      ? 'no level held'
      : `held ${int(search.heldConnections)} ${search.thinkTimeMs === undefined ? 'concurrent connections' : `concurrent users (think time ${search.thinkTimeMs} ms)`}`;
  const failing = search.firstFailingConnections === null ? '' : `, failed at ${int(search.firstFailingConnections)}`;
  return `${search.adapter}${search.via === 'pgbouncer' ? ' (through PgBouncer)' : ''}: ${held}${failing} — ${search.why}${search.error ? ` (${search.error})` : ''}`;
}

function title(search: CapacityAnalysis['searches'][number]): string {
  return `Capacity · ${search.adapter} · ${search.scenario} · pool ${search.poolMax} · ${search.via === 'pgbouncer' ? 'through PgBouncer' : 'direct'}`;
}

function sloLine(a: CapacityAnalysis): string {
  return (
    `A level holds when p99 ≤ ${a.slo.p99Ms} ms and errors < ${a.slo.maxErrorRate * 100}% (--slo-p99-ms). The search starts at ${a.startConnections} connections, ` +
    `doubles while levels hold, then bisects between the last level that held and the first that failed until they are within ${Math.round(a.resolution * 100)}% ` +
    `(up to --max-connections ${int(a.maxConnections)}); ${a.roundsPerLevel} window${a.roundsPerLevel === 1 ? '' : 's'} per level, each against a freshly started server. ★ the answer, ✗ failed levels.` +
    (a.fd ? ` File descriptors: ${a.fd.note}.` : '')
  );
}

function pgbouncerLine(a: CapacityAnalysis): string | null {
  const b = a.pgbouncer;
  if (!b) return null;
  return `Through PgBouncer ${b.version} in transaction mode (default_pool_size ${b.poolSize}): clients are the server's pool connections; postgres.js ran with prepare: false and no pipelining, because a transaction-pooled server connection does not keep a client's named prepared statements${b.preparedStatements ? '' : ' (PgBouncer ≥ 1.21 can, with max_prepared_statements; this one cannot)'}.`;
}

export function renderCapacityTerminal(a: CapacityAnalysis): string {
  const parts: string[] = [sloLine(a)];
  const bouncer = pgbouncerLine(a);
  if (bouncer) parts.push(bouncer);
  for (const s of a.searches)
    parts.push([title(s), textTable(s.curve), '', chart(s, a.slo), '', headline(s)].join('\n'));
  parts.push(
    ['Capacity summary (the largest level that held):', ...a.searches.map((s) => `  ${headline(s)}`)].join('\n'),
  );
  return parts.join('\n\n');
}

export function renderCapacityMarkdown(a: CapacityAnalysis): string {
  const parts: string[] = ['## Capacity: concurrent connections one instance holds', sloLine(a)];
  const bouncer = pgbouncerLine(a);
  if (bouncer) parts.push(bouncer);
  parts.push(a.searches.map((s) => `- **${headline(s)}**`).join('\n'));
  for (const s of a.searches) {
    parts.push(
      `### ${title(s)}`,
      markdownTable(s.curve),
      '```text\n' + chart(s, a.slo) + '\n```',
      `Levels in the order tried: ${s.levels.map((l) => `${l.connections} (${l.why})`).join('; ')}.`,
    );
  }
  parts.push(
    '#### How to read this',
    'Each row is one level of concurrent client connections (autocannon, closed model: every connection sends its next request as soon as the previous answers). ' +
      '**DB backends** is the most PostgreSQL backends of the server seen in pg_stat_activity at that level: with a pool, it stays at the pool size however many clients connect, ' +
      'which is the point of a pool; clients beyond it wait in the server (**pool waiting**) and that wait is what pushes p99 past the SLO. ' +
      "**generator CPU** is the load generator's share of one core: \"(bound)\" means it, not the server, was the bottleneck, so that level's throughput is a floor and a failure there may be the generator's. " +
      `Each level is decided on the median of its ${a.roundsPerLevel} window${a.roundsPerLevel === 1 ? '' : 's'} (--rounds); near the limit a level can still pass or fail on noise, ` +
      `which is why the bisection stops at a resolution of ${Math.round(a.resolution * 100)}% and a failure below a level that held wins.`,
  );
  const think = a.searches.find((s) => s.thinkTimeMs !== undefined)?.thinkTimeMs;
  if (think !== undefined)
    parts.push(
      `Here the levels are **concurrent users**, not busy connections (--think-time ${think}): k6 constant-vus, each user sends a request, waits for the answer, ` +
        `then sleeps ${think} ms, so the offered rate is about users / (${think} ms + latency) and most users are idle at any moment, as with real clients. ` +
        'The "connections" column counts users (k6 VUs, each with its own keep-alive connection).',
    );
  return parts.join('\n\n') + '\n';
}

export const capacitySection: KindSection<CapacityAnalysis> = {
  key: 'capacity',
  markdown: renderCapacityMarkdown,
  terminal: renderCapacityTerminal,
};
