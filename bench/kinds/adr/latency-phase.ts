import type { Cell } from '../../results/types.ts';
import type { LoadSpec } from '../../schedule/plan.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import { styleOf } from '../../targets/kinds.ts';
import type { WindowSettings } from '../../window/measure.ts';
import type { LatencyDesign } from './design.ts';
import type { AdrPlan } from './plan.ts';
import { chooseRates } from './rates.ts';

/** One benchmark of phase 2: the targets of one --db-latency setting at that setting's rates. */
export interface LatencyGroup {
  dbLatencyMs: number | undefined;
  targets: TargetSpec[];
  loads: LoadSpec[];
  rates: Record<string, number>;
}

/** The targets of one latency setting (all of them without --db-latency). */
function byLatency(targets: readonly TargetSpec[]): Map<number | undefined, TargetSpec[]> {
  const groups = new Map<number | undefined, TargetSpec[]>();
  for (const t of targets) groups.set(t.dbLatencyMs, [...(groups.get(t.dbLatencyMs) ?? []), t]);
  return groups;
}

/**
 * Phase 2's arrival rates, one set per latency setting (a rate every "before" sustains at that
 * latency): `fraction` of the lowest median closed-model throughput, at the first --connections value,
 * among the sync and blocking targets of that setting. The rate differs by latency, so each setting
 * is its own interleaved benchmark (targets of one setting interleaved with each other, not with the
 * other settings').
 */
export function latencyGroups(
  plan: AdrPlan,
  targets: readonly TargetSpec[],
  closedCells: readonly Cell[],
  k6: { rateFraction: number; fixedRate?: number },
): LatencyGroup[] {
  return [...byLatency(targets)].map(([dbLatencyMs, group]) => {
    const cells = closedCells.filter((c) => c.dbLatencyMs === dbLatencyMs);
    const befores = [...new Set(group.map((t) => t.adapter))].filter((a) => styleOf(a) !== 'async');
    const perBefore = befores.map((b) =>
      chooseRates(cells, b, plan.paths, plan.closedConnections, k6.rateFraction, k6.fixedRate),
    );
    const rates = Object.fromEntries(plan.paths.map((p) => [p, Math.min(...perBefore.map((r) => r[p]!))])) as Record<
      string,
      number
    >;
    const loads = plan.paths.map((scenario) => ({
      scenario,
      connections: plan.closedConnections,
      rate: rates[scenario]!,
    }));
    return { dbLatencyMs, targets: group, loads, rates };
  });
}

/** The design's record of phase 2 with k6. */
export function openLatencyDesign(plan: AdrPlan, groups: readonly LatencyGroup[]): LatencyDesign {
  const fraction = 'k6' in plan.latency ? plan.latency.rateFraction : 0;
  const fixed = 'k6' in plan.latency && plan.latency.fixedRate !== undefined;
  const several = groups.length > 1 || groups[0]?.dbLatencyMs !== undefined;
  return {
    model: 'open',
    tool: 'k6',
    ratesPerS: groups[0]?.rates ?? {},
    ...(several
      ? { ratesByLatencyMs: Object.fromEntries(groups.map((g) => [String(g.dbLatencyMs ?? 0), g.rates])) }
      : {}),
    rateRule: fixed
      ? 'The rate was given with --rate.'
      : `Each rate is ${Math.round(fraction * 100)}% of the lowest median closed-model throughput on that path (phase 1, ${plan.closedConnections} connections) among the sync and blocking targets${several ? ' at the same database latency' : ''}, rounded down to two significant digits: a rate every "before" can sustain.`,
  };
}

/** k6 rejects scenario durations under 1 s; a zero warm-up stays zero (no warm-up window at all). */
export function k6Settings(settings: WindowSettings): WindowSettings {
  return {
    ...settings,
    warmupS: settings.warmupS === 0 ? 0 : Math.max(1, settings.warmupS),
    durationS: Math.max(1, settings.durationS),
  };
}
