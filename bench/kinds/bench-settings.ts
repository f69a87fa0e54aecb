import type { DbMode } from '../db/provision.ts';
import type { WindowSettings } from '../window/measure.ts';
import type { Tool } from '../results/types.ts';
import type { AdapterName } from '../../src/adapters/registry.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import type { ProfileName } from '../../scenarios/profiles.ts';

/** The settings every benchmark kind shares (the CLI's common flags, validated, profile applied). */
export interface BenchSettings {
  readonly profile: ProfileName;
  readonly adapters: readonly AdapterName[];
  readonly scenarios: readonly ScenarioName[];
  readonly connections: readonly number[];
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
  readonly poolMax: number;
  readonly jobs: number;
  readonly seed: number;
  readonly timeoutS: number;
  readonly disturbedThresholdPercent: number; // other processes' CPU (% of a core) past which a window is disturbed
  readonly sampleIntervalS?: number; // --sample-interval: the periodic probes' period (default 1 s)
  readonly tool: Tool;
  readonly db: DbMode;
  readonly databaseUrl?: string; // DATABASE_URL, when set
  readonly noSeed?: boolean; // --no-seed: the targets own their data; nothing is seeded nor restored
  readonly allowDbRestart?: boolean; // --allow-db-restart (run): jobbench may stop and start an external PostgreSQL
}

/** The window settings of a kind's benchmark: the same object for every kind. */
export function windowSettings(s: BenchSettings): WindowSettings {
  return {
    warmupS: s.warmupS,
    durationS: s.durationS,
    timeoutS: s.timeoutS,
    disturbedThresholdPercent: s.disturbedThresholdPercent,
    ...(s.sampleIntervalS === undefined ? {} : { sampleIntervalMs: Math.round(s.sampleIntervalS * 1000) }),
    seed: s.seed,
    jobCount: s.jobs,
    ...(s.noSeed ? { restoreSeed: false } : {}),
  };
}

/** Where the shell finds the database. */
export function dbSettings(s: BenchSettings) {
  return {
    databaseUrl: s.databaseUrl,
    mode: s.db,
    jobs: s.jobs,
    seed: s.seed,
    ...(s.noSeed ? { noSeed: true } : {}),
    ...(s.allowDbRestart ? { allowDbRestart: true } : {}),
  } as const;
}

// What results.config records of the shared settings: everything but the database URL (it holds the password).
const RECORDED = [
  'profile',
  'adapters',
  'scenarios',
  'connections',
  'durationS',
  'warmupS',
  'rounds',
  'poolMax',
  'jobs',
  'seed',
  'timeoutS',
  'disturbedThresholdPercent',
  'sampleIntervalS',
  'tool',
  'db',
] as const satisfies readonly (keyof BenchSettings)[];

/** The recorded configuration: the shared settings, picked by name (a kind's input carries more). */
export function recordedSettings(s: BenchSettings): Record<string, unknown> {
  return Object.fromEntries(RECORDED.map((key) => [key, s[key]]));
}
