import type { Cell, Estimate } from '../../results/types.ts';
import type { RunPlan } from './plan.ts';
import { medianCi } from '../../stats/bootstrap.ts';
import { cellKeyWithout } from '../../schedule/cell.ts';

/** What Prometheus metrics cost one adapter on one scenario: server CPU per request, on vs off. */
export interface MetricsCostRow {
  adapter: string;
  scenario: string;
  connections: number;
  cpuOnUs: Estimate; // server CPU µs/request with metrics on, median over rounds
  cpuOffUs: Estimate;
  deltaUs: Estimate; // per-round (on − off), paired by round: both ran in the same round
  deltaPercent: number; // median delta / median off
}

/**
 * Pairs the `metrics: on` and `metrics: off` cells of `jobbench run --metrics both` (same adapter,
 * scenario and load) and estimates the cost from per-round differences, which cancel the drift that
 * hits both cells of a round alike. Pure.
 */
export function analyzeMetricsCost(cells: readonly Cell[]): MetricsCostRow[] {
  // The label names the metrics mode (and shed): it is not part of what pairs on with off.
  const key = (c: Cell) => cellKeyWithout(c, ['metrics', 'label', 'side']);
  const off = new Map(cells.filter((c) => c.metrics === 'off').map((c) => [key(c), c]));
  const rows: MetricsCostRow[] = [];
  for (const on of cells.filter((c) => c.metrics === 'on')) {
    const pair = off.get(key(on));
    if (!pair) continue;
    const cpu = (rounds: Cell['rounds']) =>
      rounds.map((r) => r.serverCpuUsPerRequest).filter((v): v is number => v !== null);
    const offByRound = new Map(pair.rounds.map((r) => [r.round, r.serverCpuUsPerRequest]));
    const deltas = on.rounds
      .filter((r) => r.serverCpuUsPerRequest !== null && offByRound.get(r.round) != null)
      .map((r) => r.serverCpuUsPerRequest! - offByRound.get(r.round)!);
    if (deltas.length === 0) continue;
    const deltaUs = medianCi(deltas);
    const cpuOffUs = medianCi(cpu(pair.rounds));
    rows.push({
      adapter: on.adapter,
      scenario: on.scenario,
      connections: on.connections,
      cpuOnUs: medianCi(cpu(on.rounds)),
      cpuOffUs,
      deltaUs,
      deltaPercent: cpuOffUs.median === 0 ? 0 : (deltaUs.median / cpuOffUs.median) * 100,
    });
  }
  return rows.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.adapter.localeCompare(b.adapter));
}

/** The run kind's analysis: the cost of metrics, when the run measured them on and off (--metrics both). */
export function analyzeRun(plan: RunPlan, cells: readonly Cell[]): MetricsCostRow[] | undefined {
  return plan.metrics === 'both' && cells.length > 0 ? analyzeMetricsCost(cells) : undefined;
}
