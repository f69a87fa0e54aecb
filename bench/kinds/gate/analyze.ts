import type { Comparison } from '../../compare/compare.ts';
import type { Thresholds } from '../../compare/thresholds.ts';
import type { Instructions } from '../../results/instructions.ts';
import type { Cell, Side } from '../../results/types.ts';
import { median } from '../../stats/bootstrap.ts';
import { usableRound } from '../../results/validity.ts';
import type { GateState } from './execute.ts';
import type { GatePlan } from './plan.ts';

/** pg_stat_statements' count of one cell side (median over rounds), or null when the extension is not loaded. */
export interface StatementsRow {
  adapter: string;
  scenario: string;
  connections: number;
  side: Side;
  pgStatementsPerRequest: number | null;
}

export interface RoundsRow {
  cell: string; // adapter · scenario · connections
  measured: number; // round numbers measured (sequential rounds included)
  remeasured: number; // windows measured again because the first attempt was disturbed (both sides)
  leftOut: number; // windows kept out of the timed verdicts: still disturbed, or invalid (both sides)
}

/** The gate's section: the sides as measured, the thresholds applied, and (rebuilt on read) the comparison. */
export interface GateAnalysis {
  sides: GateState;
  thresholds: Thresholds;
  looks?: number; // the sequential gate's cap of looks: every verdict tests at alpha / looks (absent: 1)
  family?: 'holm' | 'each'; // how the timed checks share alpha (bench/compare/family.ts; absent: each, as gates judged before Holm's rule)
  maxRounds?: number;
  serverSettings: { side: Side; env: Record<string, string>; poolMax?: number }[]; // one-side changes
  /** What the rounds came to: per cell (both sides), measured, measured again after a disturbance, left out. */
  rounds?: RoundsRow[];
  statements: StatementsRow[];
  /** Instructions per request (bench/instructions/) and the threshold its verdicts use; absent with --instructions off. */
  instructions?: { counts: Instructions; thresholdPct: number };
  comparison?: Comparison | { error: string }; // not stored: compareGateRun on read (bench/kinds/gate/render.ts)
}

/** Pure: what the gate adds to the cells. The comparison itself is rebuilt from the cells on read. */
export function analyzeGate(plan: GatePlan, cells: readonly Cell[], state: GateState): GateAnalysis {
  const statements = cells
    .filter((c) => c.side !== undefined)
    .map((c) => {
      const counts = c.rounds.map((r) => r.pgStatementsPerRequest).filter((v): v is number => typeof v === 'number');
      return {
        adapter: c.adapter,
        scenario: c.scenario,
        connections: c.connections,
        side: c.side!,
        pgStatementsPerRequest: counts.length > 0 ? Math.round(median(counts) * 1000) / 1000 : null,
      };
    });
  const serverSettings = (['base', 'head'] as const)
    .filter((side) => Object.keys(plan.sides[side].env).length > 0 || plan.sides[side].poolMax !== undefined)
    .map((side) => ({
      side,
      env: { ...plan.sides[side].env },
      ...(plan.sides[side].poolMax !== undefined ? { poolMax: plan.sides[side].poolMax } : {}),
    }));
  const byCell = new Map<string, RoundsRow>();
  for (const c of cells.filter((x) => x.side !== undefined)) {
    const cell = `${c.adapter} · ${c.scenario} · ${c.connections} conn`;
    const row = byCell.get(cell) ?? { cell, measured: 0, remeasured: 0, leftOut: 0 };
    row.measured = Math.max(row.measured, c.rounds.length);
    row.remeasured += c.rounds.filter((r) => r.validity?.remeasuredAfter !== undefined).length;
    row.leftOut += c.rounds.filter((r) => !usableRound(r)).length;
    byCell.set(cell, row);
  }
  return {
    sides: { base: state.base, head: state.head },
    thresholds: plan.thresholds,
    looks: plan.looks,
    family: 'holm',
    maxRounds: plan.maxRounds,
    serverSettings,
    statements,
    rounds: [...byCell.values()],
    ...(state.instructions && plan.instructions
      ? { instructions: { counts: state.instructions, thresholdPct: plan.instructions.thresholdPct } }
      : {}),
  };
}
