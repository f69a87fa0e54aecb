import { BOOTSTRAP } from '../stats/bootstrap.ts';
import { pairedLogRatio } from '../stats/paired.ts';
import { groupKey, groupTitle } from '../schedule/cell.ts';
import { cellExtras, type CellExtras } from './cell-extras.ts';
import { harnessEvidenceOf, type HarnessWeightEvidence } from './harness-weight.ts';
import type { Cell, Estimate, LatencyUs, MetricsMode, Results, Tool, Via } from '../results/types.ts';

/**
 * The numbers behind every report table, computed once: renderers (terminal, Markdown) only format
 * them, and `jobbench report --json` prints them as they are.
 */

/** Why a row's numbers need care; the text is what tables print. */
export const FLAGS = {
  'generator-bound': 'generator-bound', // throughput is a floor, not the server's capacity
  'machine-saturated': 'machine-saturated', // the run's own processes kept ≥ 90% of all cores busy
  disturbed: 'disturbed', // other processes took the machine in a round: measured again, left out if still so
  invalid: 'invalid', // a round answered statuses the scenario does not expect (results/validity.ts): left out
  'invalid-for-latency': 'invalid for latency', // open model fell behind its schedule (dropped iterations)
  'slo-failed': 'SLO failed',
  aborted: 'aborted', // fewer rounds than the other cells: the run was stopped
} as const;
export type Flag = keyof typeof FLAGS;

/**
 * How a table ranks its adapters, slowest first. Closed model (autocannon, k6 VUs): by median req/s,
 * ratio = req/s ÷ slowest req/s. Open model (a target rate): every adapter is offered the same rate,
 * so by median p99 latency, ratio = slowest p99 ÷ this p99. Either way a ratio of 2 means "twice as good".
 */
export type Ranking = 'throughput' | 'latency';

export interface ReportRow {
  adapter: string;
  label?: string;
  rounds: number;
  requestsPerSec: Estimate;
  latencyP50Us: Estimate;
  latencyP99Us: Estimate;
  mergedLatencyUs?: LatencyUs;
  serverCpuUsPerRequest: Estimate | null; // null: no process evidence (evidence.processNa says why)
  requests: number; // summed over rounds
  errors: number; // requests without a response (connection errors, timeouts), summed over rounds
  non2xx: number;
  errorRate: number; // (errors + non2xx) / (requests + errors), 0..1
  ratioToSlowest: Estimate | null; // vs the table's reference (slowest, or a gate's base): per-round paired log ratios
  isSlowest: boolean; // this row is the table's reference (see ReportTable.reference)
  targetRate?: number;
  achievedRate?: number;
  droppedIterations?: number;
  evidence: ServerEvidence;
  flags: Flag[];
  extras?: CellExtras; // generator µs/request, fraction of the ceilings, top self-time functions
}

/** Server-side evidence (DESIGN.md "How we measure" 6-7): the worst value seen over the cell's rounds. */
export interface ServerEvidence {
  serverRssBytesMax: number | null; // null: no process evidence
  eventLoopMaxDelayMs: number | null; // null: the target reports no event loop
  processNa?: string; // why there is no process evidence ("n/a: external target")
  poolWaitingMax: number | null; // null when the driver exposes no pool gauge
  dbBackendsMax: number;
  generatorCpuPercentMax: number;
  harness?: HarnessWeightEvidence; // what jobbench's probes asked of the server, and its own CPU (Round.harness)
}

export interface ReportTable {
  title: string;
  scenario: string;
  tool: Tool;
  connections: number;
  poolMax: number;
  targetRate?: number;
  via?: Via;
  metrics?: MetricsMode;
  ranking: Ranking;
  reference: 'slowest' | 'base'; // what "vs" compares with: the slowest row, or a gate's base side (A/A: no "slowest")
  rounds: number; // the fewest rounds of a row: names the intervals ("95% CI" from 5, else a range)
  rows: ReportRow[]; // slowest first
}

/** A kind's own analysis (ADR verdicts, sweep recommendation, …) rendered by the kind: report/ imports no kind. */
export interface RenderedSection {
  key: string; // the entry of results.extra it renders: not dumped again as raw JSON
  markdown: string;
  terminal: string; // plain text; report.html shows it as preformatted text
  html?: string; // the kind's own HTML (the ADR heat map), placed before that text
  summary?: string; // the kind's verdict in one line: the last line printed (else bench/report/summary.ts)
}

export interface ReportModel {
  runId: string;
  status: Results['status'];
  tables: ReportTable[];
  section?: RenderedSection;
}

function sum(cell: Cell, pick: (r: Cell['rounds'][number]) => number): number {
  return cell.rounds.reduce((acc, r) => acc + pick(r), 0);
}

function max(cell: Cell, pick: (r: Cell['rounds'][number]) => number): number {
  return cell.rounds.reduce((acc, r) => Math.max(acc, pick(r)), 0);
}

/** The largest non-null value over the rounds, or null when every round has none. */
function maxOrNull(cell: Cell, pick: (r: Cell['rounds'][number]) => number | null): number | null {
  const values = cell.rounds.map(pick).filter((v): v is number => v !== null);
  return values.length === 0 ? null : Math.max(...values);
}

function evidenceOf(cell: Cell): ServerEvidence {
  const pool = cell.rounds.map((r) => r.poolWaitingMax).filter((v): v is number => v !== null);
  const rss = maxOrNull(cell, (r) => r.serverRssBytes);
  return {
    serverRssBytesMax: rss,
    eventLoopMaxDelayMs: maxOrNull(cell, (r) => r.eventLoopMaxDelayMs),
    ...(rss === null && cell.evidence ? { processNa: cell.evidence.process } : {}),
    poolWaitingMax: pool.length === 0 ? null : Math.max(...pool),
    dbBackendsMax: max(cell, (r) => r.dbBackends),
    generatorCpuPercentMax: max(cell, (r) => r.generatorCpuPercent),
    ...harnessEvidenceOf(cell),
  };
}

function flagsOf(cell: Cell, aborted: boolean, maxRounds: number): Flag[] {
  const flags: Flag[] = [];
  if (cell.rounds.some((r) => r.generatorBound)) flags.push('generator-bound');
  if (cell.rounds.some((r) => r.machineSaturated === true)) flags.push('machine-saturated');
  if (cell.rounds.some((r) => r.validity?.disturbed === true)) flags.push('disturbed');
  if (cell.rounds.some((r) => r.validity?.invalid !== undefined)) flags.push('invalid');
  if (cell.invalidForLatency === true || (cell.droppedIterations ?? 0) > 0) flags.push('invalid-for-latency');
  if (cell.sloPassed === false) flags.push('slo-failed');
  if (aborted && cell.rounds.length < maxRounds) flags.push('aborted');
  return flags;
}

function rankValue(cell: Cell, ranking: Ranking): number {
  return ranking === 'throughput' ? cell.summary.requestsPerSec.median : cell.summary.latencyUs.p99.median;
}

type RoundOf = Cell['rounds'][number];

/**
 * reference → cell as the geometric mean of per-round ratios, paired by round number (DESIGN rule 13):
 * drift that hit both in a round cancels. The interval is the range of the per-round ratios below 5
 * pairs and a t interval from 5 (bench/stats/paired.ts); none below 3 pairs. Null when no pair is usable.
 */
function ratioVs(reference: Cell, cell: Cell, pick: (r: RoundOf) => number, higherIsBetter: boolean): Estimate | null {
  const ref = new Map(reference.rounds.map((r) => [r.round, pick(r)]));
  const rounds = cell.rounds.filter((r) => ref.has(r.round));
  const mine = rounds.map(pick);
  const theirs = rounds.map((r) => ref.get(r.round)!);
  const p = higherIsBetter ? pairedLogRatio(theirs, mine) : pairedLogRatio(mine, theirs);
  if (p.kind === 'none') return null;
  return { median: p.ratio, ci95: p.n >= BOOTSTRAP.minSamples ? [p.lo, p.hi] : null };
}

/** A gate's table (every cell a side): each row is read against its own adapter's base, never "the slowest". */
function baseCellsOf(cells: Cell[]): Map<string, Cell> | undefined {
  if (!cells.every((c) => c.side !== undefined)) return undefined;
  const bases = new Map(cells.filter((c) => c.side === 'base').map((c) => [c.adapter, c]));
  return cells.every((c) => bases.has(c.adapter)) ? bases : undefined;
}

function buildTable(cells: Cell[], aborted: boolean, maxRounds: number, results: Results): ReportTable {
  const first = cells[0]!;
  const ranking: Ranking = first.targetRate !== undefined ? 'latency' : 'throughput';
  // Slowest first: lowest throughput, or highest p99 at a fixed rate. Ties keep a stable name order.
  const sorted = [...cells].sort((a, b) => {
    const d =
      ranking === 'throughput'
        ? rankValue(a, ranking) - rankValue(b, ranking)
        : rankValue(b, ranking) - rankValue(a, ranking);
    return d !== 0 ? d : `${a.adapter} ${a.label ?? ''}`.localeCompare(`${b.adapter} ${b.label ?? ''}`);
  });
  const bases = baseCellsOf(cells);
  const rows = sorted.map((cell): ReportRow => {
    const slowest = bases?.get(cell.adapter) ?? sorted[0]!;
    const requests = sum(cell, (r) => r.requests);
    const errors = sum(cell, (r) => r.errors);
    const non2xx = sum(cell, (r) => r.non2xx);
    const attempts = requests + errors;
    const ratioToSlowest =
      ranking === 'throughput'
        ? ratioVs(slowest, cell, (r) => r.requestsPerSec, true)
        : ratioVs(slowest, cell, (r) => r.latencyUs.p99, false);
    const row: ReportRow = {
      adapter: cell.adapter,
      rounds: cell.rounds.length,
      requestsPerSec: cell.summary.requestsPerSec,
      latencyP50Us: cell.summary.latencyUs.p50,
      latencyP99Us: cell.summary.latencyUs.p99,
      serverCpuUsPerRequest: cell.summary.serverCpuUsPerRequest,
      requests,
      errors,
      non2xx,
      errorRate: attempts === 0 ? 0 : (errors + non2xx) / attempts,
      ratioToSlowest: cell === slowest ? { median: 1, ci95: null } : ratioToSlowest,
      isSlowest: cell === slowest,
      evidence: evidenceOf(cell),
      flags: flagsOf(cell, aborted, maxRounds),
    };
    if ((cell.label ?? cell.side) !== undefined) row.label = cell.label ?? cell.side; // a gate run: base | head
    const extras = cellExtras(cell, results);
    if (Object.keys(extras).length > 0) row.extras = extras;
    if (cell.summary.mergedLatencyUs !== undefined) row.mergedLatencyUs = cell.summary.mergedLatencyUs;
    if (cell.targetRate !== undefined) row.targetRate = cell.targetRate;
    if (cell.achievedRate !== undefined) row.achievedRate = cell.achievedRate;
    if (cell.droppedIterations !== undefined) row.droppedIterations = cell.droppedIterations;
    return row;
  });
  const table: ReportTable = {
    title: groupTitle(first),
    scenario: first.scenario,
    tool: first.tool,
    connections: first.connections,
    poolMax: first.poolMax,
    ranking,
    reference: bases ? 'base' : 'slowest',
    rounds: Math.min(...rows.map((r) => r.rounds)),
    rows,
  };
  if (first.targetRate !== undefined) table.targetRate = first.targetRate;
  if (first.via !== undefined) table.via = first.via;
  if (first.metrics !== undefined) table.metrics = first.metrics;
  return table;
}

/** One table per group of comparable cells, in the order the groups first appear in the run, and the kind's section. */
export function buildReportModel(results: Results, section?: RenderedSection): ReportModel {
  const groups = new Map<string, Cell[]>();
  for (const cell of results.cells) {
    if (cell.rounds.length === 0) continue; // nothing measured (aborted before its first round)
    const key = groupKey(cell);
    const group = groups.get(key);
    if (group) group.push(cell);
    else groups.set(key, [cell]);
  }
  const maxRounds = Math.max(0, ...results.cells.map((c) => c.rounds.length));
  const aborted = results.status === 'aborted';
  return {
    runId: results.runId,
    status: results.status,
    tables: [...groups.values()].map((cells) => buildTable(cells, aborted, maxRounds, results)),
    ...(section ? { section } : {}),
  };
}
