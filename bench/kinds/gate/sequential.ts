import { judgeGateCells, type CompareOptions } from '../../compare/compare.ts';
import type { LoadSpec, RoundsExtension } from '../../schedule/plan.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import type { Cell } from '../../results/types.ts';

/**
 * The gate's sequential rounds (Chromium Pinpoint's same / different / unknown, bench/stats/sequential.ts):
 * after the planned rounds it looks at every cell; a cell with a metric still `unknown` that more pairs
 * would likely resolve within the cap gets `stepRounds` more rounds (that cell's windows only, both sides,
 * still alternating and rotating), up to `maxRounds`. The number of looks is fixed before the first one,
 * and every look (the final verdict included) tests at alpha / looks, so that looking again cannot raise
 * the false-alarm rate past alpha.
 */
export const GATE_SEQUENTIAL = { stepRounds: 4 } as const;

/** The looks a gate of `rounds` planned rounds and a cap of `maxRounds` can take: its Bonferroni divisor. */
export function gateLooks(rounds: number, maxRounds: number): number {
  return 1 + Math.max(0, Math.ceil((maxRounds - rounds) / GATE_SEQUENTIAL.stepRounds));
}

const windowKey = (adapter: string, scenario: string, connections: number) =>
  `${adapter}\u0000${scenario}\u0000${connections}`;

/** The schedule's extend hook for a gate: more rounds of the cells that are undecided and resolvable. */
export function gateExtension(
  maxRounds: number,
  options: CompareOptions,
): (snapshot: { cells: Cell[] }, roundsDone: number) => RoundsExtension | null {
  return (snapshot, roundsDone) => {
    if (roundsDone >= maxRounds) return null;
    const undecided = new Set(
      judgeGateCells(snapshot.cells, options)
        .filter((c) =>
          c.metrics.some((m) => m.verdict === 'inconclusive' && m.roundsNeeded !== null && m.roundsNeeded <= maxRounds),
        )
        .map((c) => windowKey(c.identity.adapter, c.identity.scenario, c.identity.connections)),
    );
    if (undecided.size === 0) return null;
    return {
      rounds: Math.min(GATE_SEQUENTIAL.stepRounds, maxRounds - roundsDone),
      measure: (target: TargetSpec, load: LoadSpec) =>
        undecided.has(windowKey(target.adapter, load.scenario, load.connections)),
    };
  };
}
