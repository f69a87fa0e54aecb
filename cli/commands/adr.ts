import { dirname, join } from 'node:path';
import { analyzeAdr, type AdrAnalysis } from '../../bench/kinds/adr/analyze.ts';
import type { AdrExecution, AdrPlan } from '../../bench/kinds/adr/execute.ts';
import { DEFAULT_RESOLUTION, DEFAULT_SLO } from '../../bench/kinds/capacity/search.ts';
import { runAndRecord } from '../../bench/orchestrate.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { writeMarkdownReport } from '../../bench/report/write.ts';
import { readResults, ResultsFileError } from '../../bench/results/io.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import type { LoadRunner } from '../../bench/runners/types.ts';
import { SCENARIO_NAMES, type ScenarioName } from '../../scenarios/catalog.ts';
import { ADAPTERS, adapterAvailability, isAdapterName } from '../../src/adapters/registry.ts';
import { readConfig } from '../../src/config.ts';
import { intFlag, listFlag, numFlag, parse } from '../args.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, usableAdapters } from '../bench-options.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

const ADR_PATHS: ScenarioName[] = ['create', 'search', 'stats', 'mixed']; // the ADR validated insertion, search, statistics
const LATENCY_TOOLS = ['auto', 'k6', 'autocannon'] as const;
const DEFAULTS = {
  baseline: 'pg-sync',
  rateFraction: 0.5, // of the sync baseline's closed-model throughput: a rate it can sustain
  lightConnections: 4, // without k6: the light closed-model load that stands in for a fixed rate
  capacityScenario: 'mixed' as ScenarioName,
  maxConnections: 4096, // past the ADR's "~2000" for async
  capacityStart: 16,
  capacityResolution: Math.max(DEFAULT_RESOLUTION, 0.25), // coarser than `jobbench capacity`: one search per adapter per round
} as const;

const HELP = `Usage: jobbench adr [options]

Runs the comparison ADR-003 should have run: the blocking baseline (pg-sync: pg-native's querySync,
every query holds the event loop) against each async adapter, on the ADR's paths (create, search,
stats, mixed), with interleaved rounds. Three phases, each with rounds outside and adapters inside:
  1. closed model (autocannon, --connections): throughput, latency under load, event-loop max delay,
     server CPU per request;
  2. latency at a fixed arrival rate (k6 constant-arrival-rate; each path's rate is --rate-fraction of
     pg-sync's phase-1 throughput, so the sync baseline can sustain it). Without k6: a light
     closed-model load (--light-connections), and the report says so;
  3. max connections: a capacity search per adapter and round (doubling, then bisecting) for the
     largest number of concurrent connections with errors < 1% and p99 <= --slo-p99-ms.
Writes results.json (kind "adr", the ADR table in extra.adr) and report.md with the ADR section:
the ADR's estimate, the measured median with its 95% CI, and a verdict (confirmed, refuted,
inconclusive) per row, for the sync baseline and each async adapter, and a conclusion.

Options:
${BENCH_FLAGS_HELP.split('\n')
  .filter((l) => !l.trimStart().startsWith('--tool'))
  .join('\n')}
  (--scenarios defaults to ${ADR_PATHS.join(',')}; --connections: the closed-model concurrency, first value)
  --baseline NAME        the sync adapter gains are measured against (default ${DEFAULTS.baseline})
  --rate R               phase 2: one fixed arrival rate (req/s) for every path instead of the derived ones
  --rate-fraction F      phase 2: share of the baseline's phase-1 throughput per path (default ${DEFAULTS.rateFraction})
  --latency-tool T       ${LATENCY_TOOLS.join(' | ')}: phase 2 with k6 (fail if missing), or the closed-model
                         fallback; auto uses k6 when it is installed (default auto)
  --light-connections N  phase 2 without k6: closed-model connections (default ${DEFAULTS.lightConnections})
  --capacity-scenario S  phase 3 path (default ${DEFAULTS.capacityScenario})
  --slo-p99-ms N         phase 3 SLO: p99 latency a level must keep to hold (default ${DEFAULT_SLO.p99Ms})
  --max-connections N    phase 3 ceiling (default ${DEFAULTS.maxConnections})
  --capacity-start N     phase 3 first level (default ${DEFAULTS.capacityStart})
  --capacity-resolution F  phase 3 bisection stops within this share of the held level (default ${DEFAULTS.capacityResolution})
  --capacity-rounds N    phase 3 searches per adapter (default: --rounds)
  --capacity-warmup S, --capacity-duration S   phase 3 window per level (default: --warmup, --duration)
  --no-capacity          skip phase 3 (the table then has no max-connections rows)
  --report FILE          run nothing: re-render report.md (with the ADR section) and the terminal tables
                         from the results.json of an earlier jobbench adr

Needs: pg-native, built against libpq (Debian: apt-get install libpq-dev, then npm rebuild libpq).
Environment: DATABASE_URL selects an external PostgreSQL (else an embedded one starts).

Examples:
  jobbench adr                                    # quick profile, all adapters (10-15 min here)
  jobbench adr --adapters pg-sync,pg-pool --rounds 5 --duration 10
  jobbench adr --no-capacity --scenarios mixed    # latency and throughput only

Exit codes: 0 complete (verdicts never fail the command), 2 bad input or the run stopped on an error
(what was measured is written with status "aborted"), 130 interrupted.`;

/** k6 through the runner registry, or why it cannot be used here. */
async function loadK6(): Promise<{ runner: LoadRunner; version?: string } | { why: string }> {
  try {
    const runner = await RUNNERS.k6();
    const { findK6, k6Version } = await import('../../bench/runners/k6-bin.ts');
    const version = k6Version(findK6(process.env));
    return { runner, ...(version ? { version } : {}) };
  } catch (err) {
    return { why: `k6 is not available: ${(err as Error).message.split('\n')[0]}` };
  }
}

export const command: Command = {
  name: 'adr',
  summary: 'check ADR-003: blocking pg-sync vs each async adapter, the ADR table with measured values and verdicts',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, {
      ...BENCH_FLAGS,
      baseline: { type: 'string' },
      rate: { type: 'string' },
      'rate-fraction': { type: 'string' },
      'latency-tool': { type: 'string' },
      'light-connections': { type: 'string' },
      'capacity-scenario': { type: 'string' },
      'slo-p99-ms': { type: 'string' },
      'max-connections': { type: 'string' },
      'capacity-start': { type: 'string' },
      'capacity-resolution': { type: 'string' },
      'capacity-rounds': { type: 'string' },
      'capacity-warmup': { type: 'string' },
      'capacity-duration': { type: 'string' },
      'no-capacity': { type: 'boolean' },
      report: { type: 'string' },
    });
    if (values.report !== undefined) return rerender(values.report);
    if (values.tool !== undefined)
      throw new UsageError(
        '--tool does not apply to adr: phases 1 and 3 use autocannon, phase 2 k6 (see --latency-tool)',
      );
    const options = readBenchOptions({ ...values, scenarios: values.scenarios ?? ADR_PATHS.join(',') });
    const baseline = values.baseline ?? DEFAULTS.baseline;
    if (!isAdapterName(baseline) || ADAPTERS[baseline].async)
      throw new UsageError(`--baseline must be a blocking (sync) adapter, got "${baseline}"`);
    if (values.adapters !== undefined && !options.adapters.includes(baseline)) options.adapters.unshift(baseline);
    const baselineLoads = await adapterAvailability(baseline);
    if (!baselineLoads.available)
      throw new UsageError(`the baseline ${baseline} cannot load here: ${baselineLoads.reason}`);
    options.adapters = await usableAdapters(options.adapters, values.adapters !== undefined);
    const adapters = [baseline, ...options.adapters.filter((a) => a !== baseline)].map((name) => ({
      name,
      role: ADAPTERS[name].async ? ('async' as const) : ('sync' as const),
    }));
    if (!adapters.some((a) => a.role === 'async'))
      throw new UsageError('adr needs at least one async adapter to compare with the baseline');

    const latencyTool = values['latency-tool'] ?? 'auto';
    if (!(LATENCY_TOOLS as readonly string[]).includes(latencyTool))
      throw new UsageError(`--latency-tool must be one of ${LATENCY_TOOLS.join(', ')}, got "${latencyTool}"`);
    const fixedRate = intFlag('rate', values.rate, 1, 1_000_000);
    const rateFraction = numFlag('rate-fraction', values['rate-fraction'], 0.01, 1) ?? DEFAULTS.rateFraction;
    const lightConnections =
      intFlag('light-connections', values['light-connections'], 1, 100_000) ?? DEFAULTS.lightConnections;
    const k6 =
      latencyTool === 'autocannon'
        ? { why: 'closed-model fallback chosen with --latency-tool autocannon' }
        : await loadK6();
    if (latencyTool === 'k6' && 'why' in k6) throw new UsageError(`${k6.why}\nInstall it with: npm run setup:k6`);
    if ('why' in k6 && fixedRate !== undefined) throw new UsageError(`--rate needs k6 (an open model); ${k6.why}`);

    const capacityScenario =
      listFlag('capacity-scenario', values['capacity-scenario'], SCENARIO_NAMES)?.[0] ?? DEFAULTS.capacityScenario;
    const capacity: AdrPlan['capacity'] = values['no-capacity']
      ? { skipped: '--no-capacity' }
      : {
          scenario: capacityScenario,
          slo: {
            p99Ms: intFlag('slo-p99-ms', values['slo-p99-ms'], 1, 600_000) ?? DEFAULT_SLO.p99Ms,
            maxErrorRate: DEFAULT_SLO.maxErrorRate,
          },
          startConnections: intFlag('capacity-start', values['capacity-start'], 1, 100_000) ?? DEFAULTS.capacityStart,
          maxConnections:
            intFlag('max-connections', values['max-connections'], 1, 1_000_000) ?? DEFAULTS.maxConnections,
          resolution:
            numFlag('capacity-resolution', values['capacity-resolution'], 0.01, 1) ?? DEFAULTS.capacityResolution,
          rounds: intFlag('capacity-rounds', values['capacity-rounds'], 1, 1_000) ?? options.rounds,
          windowS: {
            warmupS: numFlag('capacity-warmup', values['capacity-warmup'], 0, 3_600) ?? options.warmupS,
            durationS: numFlag('capacity-duration', values['capacity-duration'], 0.5, 86_400) ?? options.durationS,
          },
        };
    const env = readConfig(process.env); // validates DATABASE_URL
    const autocannon = await RUNNERS.autocannon();
    const plan: AdrPlan = {
      adapters,
      baseline,
      paths: options.scenarios,
      rounds: options.rounds,
      poolMax: options.poolMax,
      closedConnections: options.connections[0]!,
      settings: {
        warmupS: options.warmupS,
        durationS: options.durationS,
        timeoutS: options.timeoutS,
        seed: options.seed,
        jobCount: options.jobs,
      },
      autocannon,
      latency:
        'runner' in k6
          ? { k6: k6.runner, rateFraction, ...(fixedRate === undefined ? {} : { fixedRate }) }
          : { lightConnections, why: k6.why },
      capacity,
    };

    let execution: AdrExecution | undefined;
    let analysis: AdrAnalysis | undefined;
    const { exitCode, dir } = await runAndRecord({
      kind: 'adr',
      argv: ['adr', ...argv],
      config: {
        ...options,
        baseline,
        latencyTool,
        rateFraction,
        lightConnections,
        ...(fixedRate ? { rate: fixedRate } : {}),
        capacity,
      },
      db: { databaseUrl: env.databaseUrl, mode: options.db, jobs: options.jobs, seed: options.seed },
      out: options.out,
      json: options.json,
      quiet: options.quiet,
      execute: async (databaseUrl, progress, signal) => {
        const { executeAdr } = await import('../../bench/kinds/adr/execute.ts');
        execution = await executeAdr(plan, databaseUrl, progress, signal);
        return execution.outcome;
      },
      analyze: (cells) => {
        analysis = analyzeAdr(execution!.design, cells, execution!.capacity);
        return { adr: analysis };
      },
      ...('version' in k6 && k6.version ? { extraTools: { k6: k6.version } } : {}),
    });
    return exitCode;
  },
};

/**
 * `--report FILE`: report.md and report.html rewritten beside the results file, with the ADR section
 * rebuilt from the stored design, cells and capacity searches; tables printed. (Same as `jobbench report`,
 * which also keeps the ADR section, but checks that the file is an ADR run.)
 */
async function rerender(resultsPath: string): Promise<number> {
  let results;
  try {
    results = await readResults(resultsPath);
  } catch (err) {
    if (!(err instanceof ResultsFileError)) throw err;
    process.stderr.write(`jobbench adr: ${err.message}\n`);
    return EXIT.badInput;
  }
  const stored = results.extra?.adr as AdrAnalysis | undefined;
  if (results.kind !== 'adr' || !stored?.design) {
    process.stderr.write(
      `jobbench adr: ${resultsPath} is not the results of a jobbench adr run (kind ${results.kind ?? 'run'})\n`,
    );
    return EXIT.badInput;
  }
  // The reports rebuild the ADR table from the stored design, cells and searches (bench/report/sections.ts).
  const reportPath = await writeMarkdownReport(results, dirname(resultsPath));
  process.stdout.write(renderTerminal(results) + '\n');
  process.stderr.write(`report written to ${reportPath}\n`);
  return EXIT.ok;
}
