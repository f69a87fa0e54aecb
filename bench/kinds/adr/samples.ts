import type { Cell, Round } from '../../results/types.ts';
import type { ClaimKey } from './claims.ts';
import type { AdrCapacityRun, AdrDesign } from './design.ts';

/** Errors at or above this share of attempts make a round's throughput not "sustained" (the ADR's rows). */
export const MAX_ERROR_SHARE = 0.01;

/**
 * The per-round series the ADR table is built from. `claim` names the ADR row a series is judged
 * against (null: evidence only, no estimate to check).
 */
export const SERIES = {
  'latency-p50': { claim: 'latency-p50', unit: 'ms', what: 'p50 latency at a fixed arrival rate' },
  'latency-p99': { claim: 'latency-p99', unit: 'ms', what: 'p99 latency at a fixed arrival rate' },
  'latency-p50-closed': { claim: 'latency-p50', unit: 'ms', what: 'p50 latency under closed-model load' },
  'latency-p99-closed': { claim: 'latency-p99', unit: 'ms', what: 'p99 latency under closed-model load' },
  throughput: { claim: 'throughput', unit: 'req/s', what: 'throughput with errors < 1% (closed model)' },
  'max-connections': {
    claim: 'max-connections',
    unit: 'connections',
    what: 'largest concurrent client connections held within the SLO',
  },
  'event-loop-max-delay': { claim: null, unit: 'ms', what: 'event-loop max delay under closed-model load' },
  'cpu-us-per-request': { claim: null, unit: 'µs/req', what: 'server CPU per request under closed-model load' },
} as const satisfies Record<string, { claim: ClaimKey | null; unit: string; what: string }>;

export type SeriesKey = keyof typeof SERIES;
export const SERIES_KEYS = Object.keys(SERIES) as SeriesKey[];

export interface AdrSeries {
  adapter: string;
  path: string;
  series: SeriesKey;
  values: number[]; // one per round, in the series' unit
  rounds?: number[]; // the round number of each value: pairs a target with its baseline (bench/stats/paired.ts)
  notes: string[]; // what a reader must know about these numbers
  invalid?: string; // why these values cannot support a verdict (e.g. dropped iterations)
}

const ms = (us: number) => us / 1000;
const errorShare = (r: Round) => (r.errors + r.non2xx) / Math.max(1, r.requests + r.errors);

/**
 * Reads the ADR series out of the run's cells and capacity searches: the closed-model cells (at
 * `closedConnections`), the latency cells (open model with a target rate, or the light closed-model
 * fallback), and one capacity answer per adapter and round.
 */
export function collectSeries(
  design: AdrDesign,
  cells: readonly Cell[],
  capacity: readonly AdrCapacityRun[],
): AdrSeries[] {
  const out: AdrSeries[] = [];
  const isLatencyCell = (c: Cell) =>
    design.latency.model === 'open'
      ? c.targetRate !== undefined
      : c.targetRate === undefined && c.tool === 'autocannon' && c.connections === design.latency.connections;
  const isClosedCell = (c: Cell) =>
    c.targetRate === undefined && c.tool === 'autocannon' && c.connections === design.closedConnections;

  for (const { name: adapter } of design.adapters) {
    for (const path of design.paths) {
      const closed = cells.find((c) => c.adapter === adapter && c.scenario === path && isClosedCell(c));
      const latency = cells.find((c) => c.adapter === adapter && c.scenario === path && isLatencyCell(c));
      if (latency) out.push(...latencySeries(adapter, path, latency, design));
      if (closed) out.push(...closedSeries(adapter, path, closed));
    }
    const runs = capacity.filter(
      (c) => c.adapter === adapter && !['error', 'aborted', 'running'].includes(c.stoppedBy),
    );
    if (runs.length > 0 && !('skipped' in design.capacity)) {
      const notes: string[] = [];
      const atCeiling = runs.filter((r) => r.stoppedBy === 'max-connections' || r.stoppedBy === 'fd-limit');
      if (atCeiling.length > 0)
        notes.push(
          `${atCeiling.length} of ${runs.length} searches held up to their ceiling (${atCeiling[0]!.stoppedBy}): a lower bound`,
        );
      if (runs.some((r) => r.heldConnections === null)) notes.push('a search where no level held counts as 0');
      out.push({
        adapter,
        path: design.capacity.scenario,
        series: 'max-connections',
        values: runs.map((r) => r.heldConnections ?? 0),
        rounds: runs.map((r) => r.round),
        notes,
      });
    }
  }
  return out;
}

function latencySeries(adapter: string, path: string, cell: Cell, design: AdrDesign): AdrSeries[] {
  const notes: string[] = [];
  if (design.latency.model === 'open') {
    notes.push(`${cell.targetRate} req/s offered, ${cell.achievedRate ?? '?'} req/s sent`);
  } else {
    notes.push(`closed model, ${cell.connections} connections: not a fixed arrival rate (${design.latency.why})`);
  }
  const errors = cell.rounds.reduce((n, r) => n + r.errors + r.non2xx, 0);
  if (errors > 0) notes.push(`${errors} failed requests`);
  const invalid = cell.invalidForLatency
    ? `k6 dropped ${cell.droppedIterations ?? 'some'} iterations: it could not keep the rate, so these latencies understate what users would see`
    : undefined;
  return [
    {
      adapter,
      path,
      series: 'latency-p50',
      values: cell.rounds.map((r) => ms(r.latencyUs.p50)),
      rounds: cell.rounds.map((r) => r.round),
      notes,
      ...(invalid ? { invalid } : {}),
    },
    {
      adapter,
      path,
      series: 'latency-p99',
      values: cell.rounds.map((r) => ms(r.latencyUs.p99)),
      rounds: cell.rounds.map((r) => r.round),
      notes,
      ...(invalid ? { invalid } : {}),
    },
  ];
}

function closedSeries(adapter: string, path: string, cell: Cell): AdrSeries[] {
  const note = `closed model, ${cell.connections} connections`;
  const sustained = cell.rounds.filter((r) => errorShare(r) < MAX_ERROR_SHARE);
  const dropped = cell.rounds.length - sustained.length;
  const throughputNotes = [note];
  if (dropped > 0)
    throughputNotes.push(
      `${dropped} of ${cell.rounds.length} rounds left out: errors ≥ ${MAX_ERROR_SHARE * 100}% of attempts`,
    );
  if (cell.rounds.some((r) => r.generatorBound))
    throughputNotes.push('generator-bound in some rounds: a floor, not the server capacity');
  return [
    {
      adapter,
      path,
      series: 'latency-p50-closed',
      values: cell.rounds.map((r) => ms(r.latencyUs.p50)),
      rounds: cell.rounds.map((r) => r.round),
      notes: [note],
    },
    {
      adapter,
      path,
      series: 'latency-p99-closed',
      values: cell.rounds.map((r) => ms(r.latencyUs.p99)),
      rounds: cell.rounds.map((r) => r.round),
      notes: [note],
    },
    {
      adapter,
      path,
      series: 'throughput',
      values: sustained.map((r) => r.requestsPerSec),
      rounds: sustained.map((r) => r.round),
      notes: throughputNotes,
    },
    {
      adapter,
      path,
      series: 'event-loop-max-delay',
      values: cell.rounds.map((r) => r.eventLoopMaxDelayMs).filter((v): v is number => v !== null),
      notes: [note],
    },
    {
      adapter,
      path,
      series: 'cpu-us-per-request',
      values: cell.rounds.map((r) => r.serverCpuUsPerRequest).filter((v): v is number => v !== null),
      notes: [note],
    },
  ];
}
