import { DB_MODES, type DbMode } from '../bench/db/types.ts';
import { TOOLS, type Tool } from '../bench/runners/types.ts';
import { defaultTool } from '../bench/runners/default-tool.ts';
import { PROFILES, PROFILE_NAMES, type LoadProfile, type ProfileName } from '../scenarios/profiles.ts';
import { SCENARIO_NAMES, type ScenarioName } from '../scenarios/catalog.ts';
import { ADAPTER_NAMES, availableAdapters, isAdapterName, type AdapterName } from '../src/adapters/registry.ts';
import { FASTAPI_TARGET_NAMES, isFastapiTargetName, type FastapiTargetName } from '../bench/targets/fastapi-targets.ts';
import { pythonSettings } from '../bench/targets/python.ts';
import { availableFastapiTargets, STARTED_TARGET_NAMES, type FastapiChoice } from '../bench/targets/select.ts';
import { DEFAULTS } from '../src/config.ts';
import { SEED_DEFAULTS } from '../src/db/seed.ts';
import { enumFlag, intFlag, intListFlag, listFlag, numFlag } from './args.ts';
import { UsageError } from './command.ts';
import { DRY_RUN_FLAGS, DRY_RUN_HELP } from './dry-run.ts';
import { DISTURBED_THRESHOLD_PERCENT } from '../bench/window/probes/machine.ts';
import { SAMPLE_INTERVAL_MS } from '../bench/window/probe.ts';

/** The flags every benchmark command shares (run, adr, sweep, capacity), as parseArgs options. */
export const BENCH_FLAGS = {
  adapters: { type: 'string' },
  scenarios: { type: 'string' },
  profile: { type: 'string' },
  connections: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
  'pool-max': { type: 'string' },
  jobs: { type: 'string' },
  seed: { type: 'string' },
  timeout: { type: 'string' },
  'disturbed-threshold': { type: 'string' },
  'sample-interval': { type: 'string' },
  tool: { type: 'string' },
  db: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  wide: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  ...DRY_RUN_FLAGS,
} as const;

/**
 * The shared flags' help. A command whose defaults differ (gate: profile gate, adapters pg-pool; adr:
 * 5 rounds) passes them, so that its --help never prints an inherited default that contradicts its own.
 */
export function benchFlagsHelp(d: { profile?: string; adapters?: string; rounds?: string } = {}): string {
  return `  --adapters a,b      targets to compare: Node adapters (default: ${d.adapters ?? `all: ${ADAPTER_NAMES.join(', ')}`}) and,
                      in run and adr, FastAPI targets (need python3):
                      ${FASTAPI_TARGET_NAMES.join(', ')}
  --scenarios x,y     scenarios (${SCENARIO_NAMES.join(', ')}); default: the profile's
  --profile NAME      load profile (rounds × warm-up + measured s); default ${d.profile ?? 'quick'}:
                      ${PROFILE_NAMES.map(
                        (p) => `${p} (${PROFILES[p].rounds}×${PROFILES[p].warmupS}+${PROFILES[p].durationS} s)`,
                      )
                        .join(', ')
                        .replace(/(stress[^,]*,) /, '$1\n                      ')}
  --connections N[,M] concurrent connections (closed model); default: the profile's
  --duration S        measured seconds per window; default: the profile's
  --warmup S          discarded warm-up seconds per window; default: the profile's
  --rounds N          interleaved rounds (5+ for a 95% CI; 3–4 give a range); default: ${d.rounds ?? "the profile's"}
  --pool-max N        connection pool size of every adapter (default ${DEFAULTS.poolMax})
  --jobs N            seeded rows (default: the profile's); --seed S  PRNG seed (default ${SEED_DEFAULTS.seed})
  --timeout S         per-request timeout in seconds (default 10)
  --disturbed-threshold P  other processes' CPU, % of one core, past which a window is disturbed: measured
                      again once, then kept out of verdicts (default ${DISTURBED_THRESHOLD_PERCENT})
  --sample-interval S how often the probes sample the server's /proc, backends, pool gauge and RSS during a
                      window, 0.1–3600 (default ${SAMPLE_INTERVAL_MS / 1000}); longer: less of the harness on the machine,
                      coarser gauges (docs/readme/performance.md: the harness's weight)
  --tool NAME[,NAME]  load generator: ${TOOLS.join(' | ')} (default autocannon; docs/readme/run.md: which tool);
                      run takes a list (autocannon,wrk): every tool on every cell, interleaved in each round
  --db MODE           ${DB_MODES.join(' | ')}: auto uses DATABASE_URL when set, else embedded (default auto)
  --out DIR           where results.json, report.md and report.html go (default results/<run-id>/)
  --json              print the results JSON on stdout instead of the table
  --wide              one line per table row, however wide (default: tables fit 120 columns, their widest
                      columns moved to a detail block under each table)
  -q, --quiet         no progress on stderr
${DRY_RUN_HELP}`;
}

export const BENCH_FLAGS_HELP = benchFlagsHelp();

export interface BenchOptions {
  profile: ProfileName;
  adapters: AdapterName[]; // the Node adapters named (or all)
  fastapi: FastapiChoice[]; // the FastAPI targets named, with their interpreter (run and adr only)
  scenarios: ScenarioName[];
  connections: number[];
  durationS: number;
  warmupS: number;
  rounds: number;
  poolMax: number;
  jobs: number;
  seed: number;
  timeoutS: number;
  disturbedThresholdPercent: number; // --disturbed-threshold
  sampleIntervalS: number; // --sample-interval
  tool: Tool; // the first of tools
  tools: readonly Tool[]; // --tool a,b (jobbench run): one cell per tool, interleaved like the targets
  db: DbMode;
  out: string | undefined;
  json: boolean;
  wide: boolean; // --wide: tables one line per row, however wide
  quiet: boolean;
}

type Values = {
  [K in keyof typeof BENCH_FLAGS]?: (typeof BENCH_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Options validated, then frozen (the object and its lists): nothing downstream may change them. */
export type FrozenBenchOptions = Readonly<
  Omit<BenchOptions, 'adapters' | 'fastapi' | 'scenarios' | 'connections'> & {
    adapters: readonly AdapterName[];
    fastapi: readonly FastapiChoice[];
    scenarios: readonly ScenarioName[];
    connections: readonly number[];
  }
>;

export interface BenchOptionsDefaults {
  profile?: ProfileName;
  /** The command's load generator when --tool is not given (default autocannon). */
  tool?: Tool;
  /** Adapters put first when the user named adapters without them (adr: its baseline). */
  include?: readonly AdapterName[];
  /** The command measures FastAPI targets too (run, adr); elsewhere naming one is bad input. */
  fastapi?: boolean;
  /** The command takes several tools (--tool autocannon,wrk: run); elsewhere a list is bad input. */
  toolList?: boolean;
  /** The fewest rounds when neither --rounds nor --profile is given (adr: 5, so that its intervals are 95% CIs, not ranges). */
  minRounds?: number;
}

/** --tool: one tool, or (where the command interleaves them) a list (listFlag drops repeats). */
function readTools(raw: string | undefined, defaults: BenchOptionsDefaults): Tool[] {
  const tools = listFlag('tool', raw, TOOLS) ?? [defaults.tool ?? defaultTool()];
  if (tools.length > 1 && !defaults.toolList)
    throw new UsageError('--tool takes one tool here; a list (--tool autocannon,wrk) only in jobbench run');
  return tools;
}

function validate(
  values: Values,
  defaults: BenchOptionsDefaults,
): Omit<BenchOptions, 'fastapi'> & {
  fastapiNames: FastapiTargetName[];
} {
  const profileName = enumFlag('profile', values.profile, PROFILE_NAMES, defaults.profile ?? 'quick');
  const profile: LoadProfile = PROFILES[profileName];
  const tools = readTools(values.tool, defaults);
  const db = enumFlag('db', values.db, DB_MODES, 'auto');
  const named = listFlag('adapters', values.adapters, defaults.fastapi ? STARTED_TARGET_NAMES : ADAPTER_NAMES);
  return {
    profile: profileName,
    adapters: named ? named.filter(isAdapterName) : [...(profile.adapters ?? ADAPTER_NAMES)],
    fastapiNames: (named ?? []).filter(isFastapiTargetName),
    scenarios: listFlag('scenarios', values.scenarios, SCENARIO_NAMES) ?? (profile.scenarios as ScenarioName[]),
    connections: intListFlag('connections', values.connections, 1, 100_000) ?? [...profile.connections],
    durationS: numFlag('duration', values.duration, 0.5, 86_400) ?? profile.durationS,
    warmupS: numFlag('warmup', values.warmup, 0, 3_600) ?? profile.warmupS,
    rounds:
      intFlag('rounds', values.rounds, 1, 1_000) ??
      (values.profile === undefined ? Math.max(profile.rounds, defaults.minRounds ?? 1) : profile.rounds),
    poolMax: intFlag('pool-max', values['pool-max'], 1, 10_000) ?? DEFAULTS.poolMax,
    jobs: intFlag('jobs', values.jobs, 1, 100_000_000) ?? profile.jobs,
    seed: intFlag('seed', values.seed, 0, 2 ** 31 - 1) ?? SEED_DEFAULTS.seed,
    timeoutS: numFlag('timeout', values.timeout, 0.1, 600) ?? 10,
    disturbedThresholdPercent:
      numFlag('disturbed-threshold', values['disturbed-threshold'], 0, 10_000) ?? DISTURBED_THRESHOLD_PERCENT,
    sampleIntervalS: numFlag('sample-interval', values['sample-interval'], 0.1, 3_600) ?? SAMPLE_INTERVAL_MS / 1000,
    tool: tools[0]!,
    tools,
    db,
    out: values.out,
    json: values.json ?? false,
    wide: values.wide ?? false,
    quiet: values.quiet ?? false,
  };
}

function freeze(options: BenchOptions): FrozenBenchOptions {
  Object.freeze(options.adapters);
  Object.freeze(options.fastapi);
  Object.freeze(options.scenarios);
  Object.freeze(options.connections);
  Object.freeze(options.tools);
  return Object.freeze(options);
}

/**
 * Validates the shared flags, fills the gaps from the profile, drops the adapters that cannot load here
 * (exit 2 if the user named one), then freezes the result: nothing downstream may change it.
 */
export async function readBenchOptions(
  values: Values,
  defaults: BenchOptionsDefaults = {},
): Promise<FrozenBenchOptions> {
  const { fastapiNames, ...options } = validate(values, defaults);
  const named = values.adapters !== undefined;
  const include = (defaults.include ?? []).filter((a) => named && !options.adapters.includes(a));
  const adapters = [...include, ...options.adapters];
  return freeze({
    ...options,
    adapters: adapters.length === 0 ? [] : await usableAdapters(adapters, named),
    fastapi: await usableFastapiTargets(fastapiNames, true),
  });
}

/**
 * The FastAPI targets whose interpreter and modules are here. Named ones that are not: exit 2 with what
 * to install; otherwise (a default selection, e.g. adr --stack both) skipped with the reason on stderr.
 */
export async function usableFastapiTargets(
  names: readonly FastapiTargetName[],
  named: boolean,
): Promise<FastapiChoice[]> {
  if (names.length === 0) return [];
  const { available, unavailable } = await availableFastapiTargets(names, pythonSettings());
  if (unavailable.length === 0) return available;
  const reasons = unavailable.map((u) => u.reason).join('\n');
  if (named) throw new UsageError(`cannot run the requested FastAPI targets:\n${reasons}`);
  process.stderr.write(`skipping FastAPI targets that cannot run here:\n${reasons}\n`);
  return available;
}

/**
 * Drops the adapters whose driver cannot load here (pg-sync without libpq), saying why on stderr.
 * When the user named them (`--adapters`), that is bad input instead: exit 2 with what to install.
 */
export async function usableAdapters(adapters: readonly AdapterName[], named: boolean): Promise<AdapterName[]> {
  const { available, unavailable } = await availableAdapters(adapters);
  if (unavailable.length === 0) return [...adapters];
  const reasons = unavailable.map((u) => `${u.name}: ${u.reason}`).join('\n');
  if (named) throw new UsageError(`cannot run the requested adapters:\n${reasons}`);
  process.stderr.write(`skipping adapters that cannot load here:\n${reasons}\n`);
  if (available.length === 0) throw new UsageError('no adapter can load here');
  return available;
}

/** Where a benchmark command's output goes, from the shared flags. */
export function shellOf(options: Pick<BenchOptions, 'out' | 'json' | 'quiet' | 'wide'>) {
  return {
    ...(options.out === undefined ? {} : { out: options.out }),
    json: options.json,
    quiet: options.quiet,
    wide: options.wide,
  };
}
