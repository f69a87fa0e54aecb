import type { LoadSpec } from '../../schedule/plan.ts';
import type { Via } from '../../results/types.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { WindowSettings } from '../../window/measure.ts';
import type { PlanBase } from '../types.ts';
import type { SweepCriteria } from './recommend.ts';

export const DEFAULT_POOLS = [1, 2, 4, 8, 16, 32, 64] as const;
export const DEFAULT_SWEEP_SCENARIO = 'mixed'; // pool sizing is about a realistic mix, not one query

/** The validated options of `jobbench sweep`. */
export interface SweepInput extends BenchSettings {
  pools: readonly number[]; // sorted, distinct
  criteria: SweepCriteria;
  vias: readonly Via[];
  pgbouncerPool: number; // PgBouncer's default_pool_size
  rate?: number; // k6 open model instead of connections
  runner: LoadRunner;
}

export interface SweepPlan extends PlanBase {
  readonly rounds: number;
  readonly targets: readonly TargetSpec[];
  readonly loads: readonly LoadSpec[];
  readonly settings: WindowSettings;
  readonly criteria: SweepCriteria;
  readonly vias: readonly Via[];
  readonly pgbouncerPool: number;
  readonly jobs: number;
  readonly runner: LoadRunner;
}

/** Targets = adapters × routes × pool sizes (adapters outside, pools inside: the schedule rotates it). */
export function planSweep(input: SweepInput): SweepPlan {
  const targets: TargetSpec[] = input.adapters.flatMap((adapter) =>
    input.vias.flatMap((via) => input.pools.map((poolMax) => ({ adapter, poolMax, metrics: 'on' as const, via }))),
  );
  const loads: LoadSpec[] = input.scenarios.flatMap((scenario) =>
    input.rate !== undefined
      ? [{ scenario, connections: input.connections[0]!, rate: input.rate }]
      : input.connections.map((connections) => ({ scenario, connections })),
  );
  return Object.freeze({
    kind: 'sweep',
    config: {
      ...recordedSettings(input),
      poolMax: undefined,
      pools: input.pools,
      criteria: input.criteria,
      vias: input.vias,
      ...(input.vias.includes('pgbouncer') ? { pgbouncerPool: input.pgbouncerPool } : {}),
      ...(input.rate !== undefined ? { rate: input.rate } : {}),
    },
    db: dbSettings(input),
    rounds: input.rounds,
    targets,
    loads,
    settings: windowSettings(input),
    criteria: input.criteria,
    vias: input.vias,
    pgbouncerPool: input.pgbouncerPool,
    jobs: input.jobs,
    runner: input.runner,
  });
}
