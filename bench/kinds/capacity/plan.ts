import type { Via } from '../../results/types.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import { withSyncWorkers } from '../../targets/workers.ts';
import type { WindowSettings } from '../../window/measure.ts';
import type { ScenarioName } from '../../../scenarios/catalog.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { PlanBase } from '../types.ts';
import { DEFAULT_RESOLUTION, type CapacitySlo } from '../../levels/search.ts';

export const CAPACITY_DEFAULTS = {
  scenario: 'mixed' as ScenarioName,
  maxConnections: 5000,
  startConnections: 8,
  // Three windows per level, decided on their median p99: one window decides nothing on a shared
  // machine (DESIGN.md, rule 3), and a level near the limit must not pass or fail on one disturbed window.
  roundsPerLevel: 3,
} as const;

/** The validated options of `jobbench capacity`. */
export interface CapacityInput extends BenchSettings {
  scenario: ScenarioName;
  maxConnections: number;
  startConnections: number;
  slo: CapacitySlo;
  vias: readonly Via[];
  roundsPerLevel: number;
  runner: LoadRunner; // closed model: autocannon; k6 with thinkTimeMs (concurrent users)
  thinkTimeMs?: number; // search over users who sleep this long between requests, not busy connections
  syncWorkers?: readonly number[]; // pg-sync processes, one target per value (default: pool max)
}

export interface CapacityPlan extends PlanBase {
  readonly targets: readonly TargetSpec[];
  readonly scenario: ScenarioName;
  readonly maxConnections: number;
  readonly startConnections: number;
  readonly slo: CapacitySlo;
  readonly resolution: number;
  readonly roundsPerLevel: number;
  readonly vias: readonly Via[];
  readonly poolMax: number; // also PgBouncer's default_pool_size
  readonly settings: WindowSettings;
  readonly runner: LoadRunner;
  readonly thinkTimeMs?: number;
}

/** One search per adapter × route, interleaved turn by turn. */
export function planCapacity(input: CapacityInput): CapacityPlan {
  return Object.freeze({
    kind: 'capacity',
    config: {
      ...recordedSettings(input),
      rounds: input.roundsPerLevel,
      scenarios: [input.scenario],
      connections: undefined,
      scenario: input.scenario,
      maxConnections: input.maxConnections,
      startConnections: input.startConnections,
      slo: input.slo,
      vias: input.vias,
      resolution: DEFAULT_RESOLUTION,
      ...(input.thinkTimeMs === undefined ? {} : { thinkTimeMs: input.thinkTimeMs }),
      ...(input.syncWorkers ? { syncWorkers: input.syncWorkers } : {}),
    },
    db: dbSettings(input),
    targets: withSyncWorkers(
      input.adapters.flatMap((adapter) =>
        input.vias.map((via) => ({ adapter, poolMax: input.poolMax, metrics: 'on' as const, via })),
      ),
      input.syncWorkers,
    ),
    scenario: input.scenario,
    maxConnections: input.maxConnections,
    startConnections: input.startConnections,
    slo: input.slo,
    resolution: DEFAULT_RESOLUTION,
    roundsPerLevel: input.roundsPerLevel,
    vias: input.vias,
    poolMax: input.poolMax,
    settings: windowSettings(input),
    runner: input.runner,
    ...(input.thinkTimeMs === undefined ? {} : { thinkTimeMs: input.thinkTimeMs }),
  });
}
