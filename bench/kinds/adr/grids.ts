import type { AdrAnalysis } from './analyze.ts';
import { renderTextTable, TERMINAL_WIDTH } from '../../report/text-table.ts';
import { ADR_CLAIMS } from './claims.ts';
import type { AdrDesign } from './design.ts';
import { formatChange, formatMeasured, formatValue } from './format.ts';
import type { SeriesKey } from './samples.ts';
import type { AdrResources } from './design.ts';
import type { AdrRow } from './table.ts';
import { roundsIntervalText } from '../../stats/interval-text.ts';
import { ABSOLUTE_VERDICT_TEXT } from './verdict.ts';

/** The ADR section's tables (grids) and how each is printed: Markdown or aligned plain text. Pure. */

export type Grid = { headers: string[]; numeric: boolean[]; rows: string[][] };

/** How a row was measured, in a few words. */
export function seriesLabel(series: SeriesKey, design: AdrDesign, path: string): string {
  const claim = (k: keyof typeof ADR_CLAIMS) => ADR_CLAIMS[k].label;
  const latencyHow =
    design.latency.model === 'open'
      ? `at ${design.latency.ratesPerS[path] ?? '?'} req/s (open model)`
      : `at ${design.latency.connections} conn (closed, no k6)`;
  switch (series) {
    case 'latency-p50':
      return `${claim('latency-p50')} ${latencyHow}`;
    case 'latency-p99':
      return `${claim('latency-p99')} ${latencyHow}`;
    case 'latency-p50-closed':
      return `${claim('latency-p50')} at ${design.closedConnections} conn (closed)`;
    case 'latency-p99-closed':
      return `${claim('latency-p99')} at ${design.closedConnections} conn (closed)`;
    case 'throughput':
      return `${claim('throughput')} (closed, ${design.closedConnections} conn)`;
    case 'max-connections':
      return 'skipped' in design.capacity
        ? claim('max-connections')
        : `${claim('max-connections')} on ${design.capacity.scenario} (p99 ≤ ${design.capacity.slo.p99Ms} ms, errors < ${design.capacity.slo.maxErrorRate * 100}%)`;
    default:
      return series;
  }
}

export function rowCells(r: AdrRow, design: AdrDesign, baseline: string): string[] {
  const format = (n: number) => formatValue(r.unit, n);
  const gain = r.gain
    ? [
        formatChange(r.gain.claimedRatio),
        `${formatMeasured(r.gain.measured, formatChange)}${r.gain.invalid ? ' (invalid*)' : ''}`,
        r.gain.judgement.verdict,
      ]
    : r.adapter === baseline
      ? ['(baseline)', '', '']
      : ['', '', ''];
  // An invalid window (k6 dropped iterations) is named in the row itself: its inconclusive verdicts come from that.
  const measured = `${formatMeasured(r.measured, format)}${r.invalid ? ' (invalid*)' : ''}`;
  return [
    seriesLabel(r.series, design, r.path),
    r.adapter,
    `~${format(r.estimate)}`,
    measured,
    ABSOLUTE_VERDICT_TEXT[r.judgement.verdict],
    ...gain,
  ];
}

/** One path's rows; the headline table also carries the max-connections rows (measured on one path only). */
export function pathGrid(analysis: AdrAnalysis, path: string, headline: boolean): Grid {
  const { design, table } = analysis;
  const rows = table.rows.filter((r) => (r.series === 'max-connections' ? headline : r.path === path));
  const interval = roundsIntervalText(design.rounds);
  return {
    headers: [
      'ADR metric, as measured',
      'adapter',
      'ADR estimate',
      `measured: median [${interval}]`,
      'vs the estimate',
      `claimed vs ${table.baseline}`,
      `measured vs ${table.baseline} [${interval}]`,
      'verdict',
    ],
    numeric: [false, false, true, true, false, true, true, false],
    rows: rows.map((r) => rowCells(r, design, table.baseline)),
  };
}

export function evidenceGrid(analysis: AdrAnalysis, paths: readonly string[]): Grid {
  const interval = roundsIntervalText(analysis.design.rounds);
  return {
    headers: ['path', 'adapter', `event-loop max delay [${interval}]`, `server CPU per request [${interval}]`],
    numeric: [false, false, true, true],
    rows: analysis.table.evidence
      .filter((e) => paths.includes(e.path))
      .map((e) => [
        e.path,
        e.adapter,
        formatMeasured(e.eventLoopMaxDelayMs, (n) => formatValue('ms', n)),
        formatMeasured(e.cpuUsPerRequest, (n) => formatValue('µs/req', n)),
      ]),
  };
}

export function markdownGrid(g: Grid): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|') || ' ';
  return [
    `| ${g.headers.map(esc).join(' | ')} |`,
    `|${g.numeric.map((n) => (n ? ' --: ' : ' :-- ')).join('|')}|`,
    ...g.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Aligned plain text fitting `width` (bench/report/text-table.ts: the widest columns move under the table). */
export function textGrid(g: Grid, width: number = TERMINAL_WIDTH): string {
  return renderTextTable(g, width);
}

/** Per side: pool size, backends seen, processes and threads: the reader checks that the comparison is fair. */
export function resourcesGrid(resources: readonly AdrResources[]): Grid {
  const n = (v: number | null) => (v === null ? 'n/a' : String(v));
  return {
    headers: ['target', 'pool size (--pool-max)', 'DB backends seen (max)', 'server processes (max)', 'threads (max)'],
    numeric: [false, true, true, true, true],
    rows: resources.map((r) => [
      r.adapter,
      String(r.poolMax),
      String(r.dbBackendsMax),
      n(r.processesMax),
      n(r.threadsMax),
    ]),
  };
}
