import type { Cell, Round } from '../../results/types.ts';
import { pairedLogRatio, type PairedRatio } from '../../stats/paired.ts';
import { intervalKindText } from '../../stats/interval-text.ts';
import type { TargetStyle } from '../../targets/styles.ts';
import { median } from '../../stats/bootstrap.ts';
import { cellName } from '../../schedule/cell.ts';
import type { AdrDbTime } from './design.ts';
import { littleBound, measuredL, type LittleBound } from './map-bounds.ts';

/**
 * The answer as a map (issue 19): for each (database latency × concurrency) cell and each async target
 * against each "before" (the correct sync code, and the blocking anti-pattern), the throughput ratio
 * async ÷ before with its paired interval over rounds (bench/stats/paired.ts), the p99 ratio at the
 * open-model rate of that latency, errors, and both sides' Little's-law bounds beside what they served.
 */

/** A ratio within ±10% with its whole interval: the two sides tie (the ADR claims ×5 and ×10). */
export const TIE_BAND = 0.1;
export const MAP_VERDICTS = {
  'async-wins': 'the async target served more (the whole interval above 1)',
  'before-wins': 'the "before" served more (the whole interval below 1)',
  tie: `the whole interval within ±${TIE_BAND * 100}%`,
  inconclusive: 'the interval crosses 1 or a tie edge, or it is a range (fewer than 5 clean rounds)',
} as const;
export type MapVerdict = keyof typeof MAP_VERDICTS;

export interface MapSide {
  name: string; // cellName: adapter and label ("fastapi-psycopg2 (40 threads)")
  style: TargetStyle;
}

export interface MapComparison {
  target: MapSide; // the async side
  before: MapSide; // sync or blocking
  throughput: PairedRatio; // async ÷ before, closed model, per-round pairs
  verdict: MapVerdict;
  why: string;
  /** Async ÷ before at the open-model rate of this latency (k6), p50 and p99 paired by round. */
  open?: { ratePerS: number; p50: PairedRatio; p99: PairedRatio; invalid?: string };
  errorShare: { target: number; before: number }; // median over rounds of (errors + non-2xx) / attempts
  bounds: { target: LittleBound; before: LittleBound };
  disturbedRounds: number; // rounds left out of the pairs because a side was disturbed or invalid
}

export interface MapCell {
  dbLatencyMs: number | null; // null: the database as it is (no --db-latency)
  connections: number;
  comparisons: MapComparison[];
}

export interface AdrMap {
  scenario: string;
  latenciesMs: (number | null)[];
  connections: number[];
  cells: MapCell[];
}

/** A round that may enter a verdict (DESIGN.md rule 12): not invalid, not disturbed. */
const clean = (r: Round) => !r.validity?.invalid && !r.validity?.disturbed;
const errorShare = (r: Round) => (r.errors + r.non2xx) / Math.max(1, r.requests + r.errors);

/** Values of two cells paired by round number (null where a side has no clean round). */
function pairByRound(
  a: Cell,
  b: Cell,
  value: (r: Round) => number,
): { base: (number | null)[]; head: (number | null)[]; left: number } {
  const rounds = [...new Set([...a.rounds, ...b.rounds].map((r) => r.round))].sort((x, y) => x - y);
  const at = (c: Cell, n: number) => c.rounds.find((r) => r.round === n);
  let left = 0;
  const base: (number | null)[] = [];
  const head: (number | null)[] = [];
  for (const n of rounds) {
    const rb = at(b, n);
    const ra = at(a, n);
    if ((rb && !clean(rb)) || (ra && !clean(ra))) left++;
    base.push(rb && clean(rb) ? value(rb) : null);
    head.push(ra && clean(ra) ? value(ra) : null);
  }
  return { base, head, left };
}

/** The verdict a paired ratio supports, and why (the map's only rule: tested by synthetic rounds). */
export function mapVerdict(r: PairedRatio, disturbedRounds = 0): { verdict: MapVerdict; why: string } {
  if (r.kind !== 't') {
    const n = r.n;
    const cause =
      disturbedRounds > 0 ? `disturbed: ${disturbedRounds} round${disturbedRounds === 1 ? '' : 's'} left out, ` : '';
    return {
      verdict: 'inconclusive',
      why: `${cause}${r.kind === 'none' ? 'no clean pair' : `${intervalKindText(r)} (n = ${n})`}: fewer than 5 clean rounds`,
    };
  }
  if (r.lo > 1) return { verdict: 'async-wins', why: `the whole ${intervalKindText(r)} is above 1` };
  if (r.hi < 1) return { verdict: 'before-wins', why: `the whole ${intervalKindText(r)} is below 1` };
  if (r.lo >= 1 - TIE_BAND && r.hi <= 1 + TIE_BAND)
    return { verdict: 'tie', why: `the whole ${intervalKindText(r)} lies within ±${TIE_BAND * 100}%` };
  return { verdict: 'inconclusive', why: `the ${intervalKindText(r)} crosses 1 and reaches past ±${TIE_BAND * 100}%` };
}

/** Builds the map of one path from the run's cells (closed-model cells, and open-model cells for p99). */
export function buildAdrMap(input: {
  scenario: string;
  styles: ReadonlyMap<string, TargetStyle>; // adapter → style
  cells: readonly Cell[];
  dbTime: readonly AdrDbTime[];
}): AdrMap {
  const own = input.cells.filter((c) => c.scenario === input.scenario && input.styles.has(c.adapter));
  const closed = own.filter((c) => c.targetRate === undefined && c.thinkTimeMs === undefined);
  const open = own.filter((c) => c.targetRate !== undefined);
  const latenciesMs = [...new Set(closed.map((c) => c.dbLatencyMs ?? null))].sort((a, b) => (a ?? -1) - (b ?? -1));
  const connections = [...new Set(closed.map((c) => c.connections))].sort((a, b) => a - b);
  const side = (c: Cell): MapSide => ({ name: cellName(c), style: input.styles.get(c.adapter)! });
  const cells: MapCell[] = [];
  for (const dbLatencyMs of latenciesMs)
    for (const conns of connections) {
      const here = closed.filter((c) => (c.dbLatencyMs ?? null) === dbLatencyMs && c.connections === conns);
      const asyncs = here.filter((c) => side(c).style === 'async');
      const befores = here.filter((c) => side(c).style !== 'async');
      const comparisons = asyncs.flatMap((a) =>
        befores.map((b) =>
          compare(
            a,
            b,
            open.filter((c) => (c.dbLatencyMs ?? null) === dbLatencyMs),
            side,
            input.dbTime,
          ),
        ),
      );
      cells.push({ dbLatencyMs, connections: conns, comparisons });
    }
  return { scenario: input.scenario, latenciesMs, connections, cells };
}

function compare(
  a: Cell,
  b: Cell,
  open: readonly Cell[],
  side: (c: Cell) => MapSide,
  dbTime: readonly AdrDbTime[],
): MapComparison {
  const pairs = pairByRound(a, b, (r) => r.requestsPerSec);
  const throughput = pairedLogRatio(pairs.base, pairs.head);
  const openOf = (c: Cell) => open.find((o) => o.adapter === c.adapter && (o.label ?? null) === (c.label ?? null));
  const [oa, ob] = [openOf(a), openOf(b)];
  let openRatios: MapComparison['open'];
  if (oa && ob) {
    const ratio = (value: (r: Round) => number) => {
      const p = pairByRound(oa, ob, value);
      return pairedLogRatio(p.base, p.head);
    };
    const dropped = oa.invalidForLatency || ob.invalidForLatency;
    openRatios = {
      ratePerS: oa.targetRate!,
      p50: ratio((r) => r.latencyUs.p50),
      p99: ratio((r) => r.latencyUs.p99),
      ...(dropped ? { invalid: 'k6 dropped iterations: the latency is not what users would see' } : {}),
    };
  }
  return {
    target: side(a),
    before: side(b),
    throughput,
    ...mapVerdict(throughput, pairs.left),
    ...(openRatios ? { open: openRatios } : {}),
    errorShare: { target: median(a.rounds.map(errorShare)), before: median(b.rounds.map(errorShare)) },
    bounds: {
      target: littleBound(a, side(a).style, measuredL(dbTime, a)),
      before: littleBound(b, side(b).style, measuredL(dbTime, b)),
    },
    disturbedRounds: pairs.left,
  };
}
