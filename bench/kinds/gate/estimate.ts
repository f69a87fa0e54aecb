import { scheduleCost, type PlanPart } from '../../schedule/estimate.ts';
import type { GatePlan } from './plan.ts';

/**
 * Beyond its windows, a gate checks out and seeds its sides and counts instructions under valgrind.
 * Fit to the four --quick A/A gates of results/reference/gate-calibration-2026-12-07 (317–341 s each on
 * the 2-core development machine, quiet; get-job and search, 2 starts per side): what their windows,
 * server starts and embedded database did not take, ~195 s, split as below.
 */
export const GATE_COSTS = {
  checkoutS: 15, // the base's worktree (node_modules reused) and both sides' databases seeded
  // per start and scenario: base and head side by side under callgrind, 4000 warm-up + 200 counted
  // requests (~80 s per start of get-job and search, two counted side by side, 2026-12-07)
  instructionsPerScenarioS: 40,
} as const;

/** The gate as plan parts: its planned rounds, the extra rounds undecided cells may get, checkout, instruction counts. */
export function gateParts(plan: GatePlan): PlanPart[] {
  const b = plan.benchmark;
  const planned = scheduleCost(b);
  const perRoundS = planned.windowsS / b.rounds;
  const extra = plan.maxRounds - b.rounds;
  const external = plan.sides.base.external !== undefined;
  const parts: PlanPart[] = [
    {
      what: `${b.rounds} rounds × ${b.targets.length} targets × ${b.loads.length} load${b.loads.length === 1 ? '' : 's'} = ${planned.windows} windows of ${b.settings.warmupS} s warm-up + ${b.settings.durationS} s, ${external ? 'no server started' : `${planned.starts} server starts`}`,
      seconds: planned.windowsS + (external ? 0 : planned.startsS),
    },
  ];
  if (extra > 0)
    parts.push({
      what: `undecided cells: up to ${extra} more rounds (--max-rounds ${plan.maxRounds})`,
      seconds: 0,
      upToS: extra * perRoundS,
    });
  if (!external) parts.push({ what: 'checkout and seeding', seconds: GATE_COSTS.checkoutS });
  const counting = instructionsPart(plan);
  if (counting) parts.push(counting);
  return parts;
}

/** The instruction counts after the rounds (none for external targets or with --instructions off). */
export function instructionsPart(plan: GatePlan): PlanPart | null {
  const ins = plan.instructions;
  if (!ins || plan.sides.base.external !== undefined) return null;
  const scenarios = new Set(plan.benchmark.loads.map((l) => l.scenario)).size;
  return {
    what: `instructions/request: ${ins.starts} start${ins.starts === 1 ? '' : 's'} per side × ${scenarios} scenario${scenarios === 1 ? '' : 's'} under valgrind`,
    seconds: ins.starts * scenarios * GATE_COSTS.instructionsPerScenarioS,
  };
}
