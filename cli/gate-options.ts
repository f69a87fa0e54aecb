import { resolveThresholds, ThresholdsError, type Thresholds } from '../bench/compare/thresholds.ts';
import { DEFAULT_INSTRUCTIONS_THRESHOLD_PCT } from '../bench/instructions/verdict.ts';
import type { GateInstructionsInput } from '../bench/kinds/gate/plan.ts';
import { parseExternalTarget, type ExternalTarget } from '../bench/targets/select.ts';
import { enumFlag, intFlag, numFlag } from './args.ts';
import { UsageError } from './command.ts';
import { COMPARE_OUTPUT_FLAGS, readThresholdsConfig } from './compare-config.ts';

/** The flags only `jobbench gate` has, besides the shared benchmark flags. */
export const GATE_FLAGS = {
  base: { type: 'string' },
  head: { type: 'string' },
  'base-env': { type: 'string', multiple: true },
  'head-env': { type: 'string', multiple: true },
  'base-pool-max': { type: 'string' },
  'head-pool-max': { type: 'string' },
  'db-latency': { type: 'string' },
  ...COMPARE_OUTPUT_FLAGS,
  'max-rounds': { type: 'string' },
  rate: { type: 'string' },
  'base-target': { type: 'string' },
  'head-target': { type: 'string' },
  'base-database': { type: 'string' },
  'head-database': { type: 'string' },
  quick: { type: 'boolean' },
  instructions: { type: 'string' },
  'instructions-threshold': { type: 'string' },
  'instructions-starts': { type: 'string' },
  'instructions-requests': { type: 'string' },
} as const;

/** The instruction count's defaults: the budget of docs/readme/gate.md ("What each part costs"). */
export const INSTRUCTIONS_DEFAULTS = {
  // Server starts per side. One: the count without V8's compiling and GC moved ≤ 0.43% over 10 starts of
  // one build, under the 0.5% threshold (results/reference/gate-calibration-2026-12-07/instructions/);
  // --instructions-starts 2 or more gives a median and a range. Each start costs ~80 s (two scenarios).
  starts: 1,
  warmupRequests: 4000, // per scenario, instrumentation off: V8 tiers up for thousands of requests (gate.md)
  requests: 200, // counted per scenario and start: ~85 ms each under callgrind
  thresholdPct: DEFAULT_INSTRUCTIONS_THRESHOLD_PCT,
} as const;

/**
 * `--quick`: the smallest gate whose test can still decide, with one look (no sequential rounds): 9 rounds.
 * The default gate has 8 timed checks (2 scenarios × req/s, p50, p99, CPU/request) sharing alpha by Holm's
 * step-down (bench/compare/family.ts), so the first "different" must reach p < 0.05 / 8 = 0.00625, and a
 * two-sided sign-flip test on n pairs cannot go below 2 / 2^n: 0.0078 with 8 pairs, 0.0039 with 9.
 */
export const GATE_QUICK = { rounds: 9, warmupS: 1, durationS: 1 } as const;

/** The sequential cap by default: two extensions of bench/kinds/gate/sequential.ts's step past the planned rounds. */
export const GATE_EXTRA_ROUNDS = 8;

/** --max-rounds N, or its default: the planned rounds plus GATE_EXTRA_ROUNDS (--quick: the planned rounds). */
export function readMaxRounds(raw: string | undefined, rounds: number, quick: boolean): number {
  const max = intFlag('max-rounds', raw, 1, 1_000) ?? (quick ? rounds : rounds + GATE_EXTRA_ROUNDS);
  if (max < rounds) throw new UsageError(`--max-rounds ${max} is below --rounds ${rounds}: the cap counts every round`);
  return max;
}

/** pg-pool only by default: a gate's time grows with every adapter, and the request path is shared. */
export const GATE_DEFAULT_ADAPTERS = ['pg-pool'] as const;

// What the harness sets itself: a side may not redirect its server's database or port.
const RESERVED_ENV = new Set(['DATABASE_URL', 'PORT', 'HOST', 'JOBBENCH_ADAPTER', 'JOBBENCH_POOL_MAX']);

/** `--head-env KEY=VALUE` (repeatable) -> { KEY: VALUE }, the server environment of one side. */
export function parseSideEnv(flag: string, raw: readonly string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of raw ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item);
    if (!m) throw new UsageError(`--${flag} must be KEY=VALUE, got "${item}"`);
    if (RESERVED_ENV.has(m[1]!))
      throw new UsageError(
        `--${flag} ${m[1]} is set by the gate itself${m[1] === 'JOBBENCH_POOL_MAX' ? `: use --${flag.replace('env', 'pool-max')}` : ''}`,
      );
    env[m[1]!] = m[2]!;
  }
  return env;
}

/** A running deployment serving the contract (`--base-target URL[,app=NAME]`) and where its database is read. */
export interface GateExternalSide {
  target: ExternalTarget;
  databaseUrl?: string; // its PostgreSQL database (pg_stat_statements, backends); default DATABASE_URL
}

/** The label both sides' external targets share: cells pair by every dimension but the side. */
export const EXTERNAL_GATE_LABEL = 'deployment';

export interface GateOnlyOptions {
  baseRef: string | undefined; // undefined with external targets
  targets?: { base: GateExternalSide; head: GateExternalSide };
  headRef: string | undefined; // undefined: the working tree
  env: { base: Record<string, string>; head: Record<string, string> };
  poolMax: { base: number | undefined; head: number | undefined };
  /** --db-latency L: both sides' servers reach their databases through Toxiproxy with L ms per round trip. */
  dbLatencyMs: number | undefined;
  thresholds: Thresholds;
  instructions: GateInstructionsInput | null; // null: --instructions off
}

type Values = Partial<Record<keyof typeof GATE_FLAGS, string | string[] | boolean>>;

/** Validates the gate's own flags (refs are resolved later, against git); bad input is a UsageError (exit 2). */
export async function readGateOnlyOptions(values: Values): Promise<GateOnlyOptions> {
  const str = (k: keyof typeof GATE_FLAGS) => values[k] as string | undefined;
  const list = (k: keyof typeof GATE_FLAGS) => values[k] as string[] | undefined;
  const targets = readExternalSides(values);
  if (targets === undefined && (str('base') === undefined || str('base') === ''))
    throw new UsageError('--base <git-ref> is required (e.g. --base origin/main or --base HEAD~1)');
  if (str('head') === '') throw new UsageError('--head needs a git ref (omit it to measure the working tree)');
  for (const flag of ['markdown', 'junit', 'bmf', 'github-benchmark', 'html', 'config'] as const)
    if (str(flag) === '') throw new UsageError(`--${flag} needs a path`);
  let thresholds: Thresholds;
  try {
    thresholds = resolveThresholds(await readThresholdsConfig(str('config')), list('threshold') ?? []);
  } catch (err) {
    if (err instanceof ThresholdsError) throw new UsageError(err.message);
    throw err;
  }
  return {
    baseRef: str('base'),
    ...(targets ? { targets } : {}),
    headRef: str('head'),
    env: { base: parseSideEnv('base-env', list('base-env')), head: parseSideEnv('head-env', list('head-env')) },
    poolMax: {
      base: intFlag('base-pool-max', str('base-pool-max'), 1, 10_000),
      head: intFlag('head-pool-max', str('head-pool-max'), 1, 10_000),
    },
    dbLatencyMs: intFlag('db-latency', str('db-latency'), 0, 10_000),
    thresholds,
    instructions:
      enumFlag('instructions', str('instructions'), ['on', 'off'] as const, 'on') === 'off'
        ? null
        : {
            starts: intFlag('instructions-starts', str('instructions-starts'), 1, 20) ?? INSTRUCTIONS_DEFAULTS.starts,
            warmupRequests: INSTRUCTIONS_DEFAULTS.warmupRequests,
            requests:
              intFlag('instructions-requests', str('instructions-requests'), 10, 100_000) ??
              INSTRUCTIONS_DEFAULTS.requests,
            thresholdPct:
              numFlag('instructions-threshold', str('instructions-threshold'), 0, 100) ??
              INSTRUCTIONS_DEFAULTS.thresholdPct,
          },
  };
}

function readDatabaseUrl(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${flag} needs a postgres:// URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new UsageError(`--${flag} needs a postgres:// URL`);
  return raw;
}

/** `--base-target URL --head-target URL`: both or neither, and nothing that configures a server the gate would start. */
function readExternalSides(values: Values): GateOnlyOptions['targets'] {
  const str = (k: keyof typeof GATE_FLAGS) => values[k] as string | undefined;
  const given = (['base-target', 'head-target'] as const).filter((k) => str(k) !== undefined);
  if (given.length === 0) {
    for (const k of ['base-database', 'head-database'] as const)
      if (str(k) !== undefined) throw new UsageError(`--${k} goes with --base-target and --head-target`);
    return undefined;
  }
  if (given.length === 1) throw new UsageError('--base-target and --head-target go together: one URL per side');
  const clash = (
    ['base', 'head', 'base-env', 'head-env', 'base-pool-max', 'head-pool-max', 'db-latency'] as const
  ).find((k) => values[k] !== undefined);
  if (clash)
    throw new UsageError(
      `--${clash} configures a revision the gate starts: external targets (--base-target) run already`,
    );
  const side = (s: 'base' | 'head'): GateExternalSide => {
    let target: ExternalTarget;
    try {
      target = parseExternalTarget(`${EXTERNAL_GATE_LABEL}=${str(`${s}-target`)}`);
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/--target \S+=/, `--${s}-target `));
    }
    const databaseUrl = readDatabaseUrl(`${s}-database`, str(`${s}-database`));
    return { target, ...(databaseUrl ? { databaseUrl } : {}) };
  };
  return { base: side('base'), head: side('head') };
}
