import type { BenchmarkPlan } from '../../benchmark.ts';
import type { FaultSchedule } from '../../faults/schedule.ts';
import type { LoadSpec } from '../../plan.ts';
import type { MetricsMode } from '../../results/types.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { TargetSpec } from '../../target.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { PlanBase } from '../types.ts';

export const RUN_METRICS_MODES = ['on', 'off', 'both'] as const;
export type RunMetricsMode = (typeof RUN_METRICS_MODES)[number];

/** The validated options of `jobbench run` (the CLI reads them from flags). */
export interface RunInput extends BenchSettings {
  metrics: RunMetricsMode;
  rates?: readonly number[]; // k6 open model: one cell per rate
  k6?: { instances?: number; prometheusRw?: string; thresholds?: Record<string, string[]> };
  runner: LoadRunner;
  faults?: readonly FaultSchedule[]; // --fault: one cell per schedule (a dimension, like the scenario)
}

export interface RunPlan extends PlanBase {
  readonly metrics: RunMetricsMode;
  readonly benchmark: Readonly<Omit<BenchmarkPlan, 'databaseUrl'>>;
  readonly k6?: RunInput['k6'];
}

/** Targets = adapters × metrics modes; loads = scenarios × (connections or arrival rates) × fault schedules. */
export function planRun(input: RunInput): RunPlan {
  const modes: MetricsMode[] = input.metrics === 'both' ? ['on', 'off'] : [input.metrics];
  const targets: TargetSpec[] = input.adapters.flatMap((adapter) =>
    modes.map((metrics) => ({ adapter, poolMax: input.poolMax, metrics, via: 'direct' as const })),
  );
  const shapes: LoadSpec[] = input.scenarios.flatMap((scenario) =>
    input.rates
      ? input.rates.map((rate) => ({ scenario, connections: input.connections[0]!, rate }))
      : input.connections.map((connections) => ({ scenario, connections })),
  );
  const loads = input.faults?.length ? shapes.flatMap((l) => input.faults!.map((fault) => ({ ...l, fault }))) : shapes;
  const { rates, k6 } = input;
  return Object.freeze({
    kind: 'run',
    metrics: input.metrics,
    config: {
      ...recordedSettings(input),
      metrics: input.metrics,
      ...(rates ? { rates } : {}),
      ...(k6?.instances ? { k6Instances: k6.instances } : {}),
      ...(input.faults?.length ? { faults: input.faults.map((f) => f.faults.map((x) => x.spec).join(',')) } : {}),
    },
    db: dbSettings(input),
    benchmark: {
      rounds: input.rounds,
      targets,
      loads,
      runner: input.runner,
      settings: windowSettings(input),
      ...(input.metrics === 'both' ? { label: (t: TargetSpec) => `metrics ${t.metrics}` } : {}),
    },
    ...(k6 ? { k6 } : {}),
  });
}
