import {
  formatBytes,
  formatCpuUsPerRequest,
  formatEstimate,
  formatLatencyMs,
  formatPercent,
  formatRate,
} from '../report/format.ts';
import type { Estimate } from '../results/types.ts';
import { roundsIntervalText } from '../stats/interval-text.ts';
import type { Comparison } from './compare.ts';
import type { CellIdentity } from './identity.ts';
import { cellTitle } from '../schedule/cell.ts';
import type { MetricId } from './metrics.ts';
import type { MetricComparison, Verdict } from './verdict.ts';

/** Formatting shared by the comparison renderers: every number with its unit, every median with its interval. */

const FORMATTERS: Record<MetricId, { format: (n: number) => string; unit: string }> = {
  requestsPerSec: { format: formatRate, unit: 'req/s' },
  latencyP50Us: { format: formatLatencyMs, unit: 'ms' },
  latencyP99Us: { format: formatLatencyMs, unit: 'ms' },
  serverCpuUsPerRequest: { format: formatCpuUsPerRequest, unit: 'µs/req' },
  errorShare: { format: formatPercent, unit: '%' },
  serverRssBytes: { format: formatBytes, unit: '' },
  queriesPerRequest: { format: (n) => `${n.toFixed(2)} queries/req`, unit: 'queries/req' },
  dbCallsPerRequest: { format: (n) => `${n.toFixed(2)} calls/req`, unit: 'calls/req' },
  dbRowsPerRequest: { format: (n) => `${n.toFixed(2)} rows/req`, unit: 'rows/req' },
  dbSharedBlocksPerRequest: { format: (n) => `${n.toFixed(1)} blocks/req`, unit: 'blocks/req' },
  dbTempBlocksPerRequest: { format: (n) => `${n.toFixed(1)} blocks/req`, unit: 'blocks/req' },
};

export function formatMetricValue(metric: MetricId, value: number): string {
  return FORMATTERS[metric].format(value);
}

/** "12,345 req/s (12,100–12,600)", or "n/a". */
export function estimateText(metric: MetricId, e: Estimate | null): string {
  if (e === null) return 'n/a';
  const f = FORMATTERS[metric];
  // Bytes carry their own unit per number (KiB, MiB): show the interval with units.
  if (f.unit === '')
    return e.ci95 === null
      ? f.format(e.median)
      : `${f.format(e.median)} (${f.format(e.ci95[0])}–${f.format(e.ci95[1])})`;
  return formatEstimate(e, f.format, f.unit);
}

const pct = (ratio: number) => {
  const p = (ratio - 1) * 100;
  return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}%`;
};

/** "+12.3% (+8.1% … +15.0%)": the change head vs base with its interval (named by the header). */
export function changeText(m: MetricComparison): string {
  if (m.ratio === null) return '–';
  if (m.ratio.ci95 === null) return pct(m.ratio.median);
  return `${pct(m.ratio.median)} (${pct(m.ratio.ci95[0])} … ${pct(m.ratio.ci95[1])})`;
}

export function pValueText(m: MetricComparison): string {
  return m.pValue === null ? '–' : m.pValue < 0.001 ? '<0.001' : m.pValue.toFixed(3);
}

export function thresholdText(m: MetricComparison): string {
  if (m.kind === 'exact') return m.thresholdPct === 0 ? 'any rise' : `+${m.thresholdPct}%`;
  if (m.kind === 'errors' && m.thresholdPct === 0) return 'any rise';
  return `${m.direction === 'bigger-is-better' ? '−' : '+'}${m.thresholdPct}%`;
}

export function detectableText(m: MetricComparison): string {
  return m.minDetectablePct === null ? '–' : `±${m.minDetectablePct.toFixed(1)}%`;
}

/** The reason, plus the rounds estimate for an inconclusive verdict. */
export function noteText(m: MetricComparison): string {
  const rounds =
    m.verdict === 'inconclusive' && m.roundsNeeded !== null
      ? `; about ${m.roundsNeeded} rounds per side would resolve it`
      : '';
  return `${m.reason}${rounds}`;
}

export const VERDICT_TEXT: Record<Verdict, string> = {
  regressed: 'REGRESSED',
  improved: 'improved',
  unchanged: 'unchanged',
  inconclusive: 'inconclusive',
  'n/a': 'n/a',
};

/** "abc1234" or "unknown commit". */
export function shortCommit(commit: string | null): string {
  return commit === null ? 'unknown commit' : commit.slice(0, 12);
}

export function sidesLine(c: Comparison): string {
  const pairing = c.sameRun ? 'one run, rounds paired by number' : 'two separate runs, rounds resampled independently';
  return `base ${c.base.runId} (${shortCommit(c.base.gitCommit)}) vs head ${c.head.runId} (${shortCommit(c.head.gitCommit)}) · ${pairing}`;
}

export function unmatchedLines(c: Comparison): string[] {
  const list = (ids: CellIdentity[]) => ids.map(cellTitle).join('; ');
  const lines: string[] = [];
  if (c.onlyBase.length > 0) lines.push(`only in base (not compared): ${list(c.onlyBase)}`);
  if (c.onlyHead.length > 0) lines.push(`only in head (not compared): ${list(c.onlyHead)}`);
  if (c.duplicates.length > 0) lines.push(`measured twice on one side (later cell ignored): ${list(c.duplicates)}`);
  return lines;
}

/**
 * The fewest rounds any side of a group's measured metrics had: it names the group's intervals once, in
 * the headers. A metric measured on neither side (n/a: an external target's CPU) has no rounds and does
 * not count, else every header of such a group would read "n = 0".
 */
export function groupRounds(group: { cells: readonly { metrics: readonly MetricComparison[] }[] }): number {
  const rounds = group.cells
    .flatMap((c) => c.metrics.flatMap((m) => [m.baseRounds, m.headRounds]))
    .filter((n) => n > 0);
  return rounds.length === 0 ? 0 : Math.min(...rounds);
}

type CompareColumn = {
  header: string;
  numeric: boolean;
  value: (name: string, m: MetricComparison) => string;
};

/** The columns every tabular renderer prints, in order; intervals named for what they are (DESIGN rule 13). */
export function compareColumns(rounds: number): readonly CompareColumn[] {
  const interval = roundsIntervalText(rounds);
  return COMPARE_COLUMNS.map((c) => ({ ...c, header: c.header.replace('95% CI', interval) }));
}

const COMPARE_COLUMNS: readonly CompareColumn[] = [
  { header: 'verdict', numeric: false, value: (_n: string, m: MetricComparison) => VERDICT_TEXT[m.verdict] },
  { header: 'adapter', numeric: false, value: (name: string) => name },
  { header: 'metric', numeric: false, value: (_n: string, m: MetricComparison) => m.label },
  {
    header: 'base (median, 95% CI)',
    numeric: true,
    value: (_n: string, m: MetricComparison) => estimateText(m.metric, m.base),
  },
  {
    header: 'head (median, 95% CI)',
    numeric: true,
    value: (_n: string, m: MetricComparison) => estimateText(m.metric, m.head),
  },
  { header: 'change (95% CI)', numeric: true, value: (_n: string, m: MetricComparison) => changeText(m) },
  { header: 'p', numeric: true, value: (_n: string, m: MetricComparison) => pValueText(m) },
  { header: 'threshold', numeric: true, value: (_n: string, m: MetricComparison) => thresholdText(m) },
  { header: 'detectable', numeric: true, value: (_n: string, m: MetricComparison) => detectableText(m) },
  { header: 'why', numeric: false, value: (_n: string, m: MetricComparison) => noteText(m) },
];
