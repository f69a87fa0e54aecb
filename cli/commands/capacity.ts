import type { BenchmarkOutcome } from '../../bench/benchmark.ts';
import { ensureFdLimit } from '../../bench/kinds/capacity/fd-limit.ts';
import { storedSearch, type CapacityAnalysis } from '../../bench/kinds/capacity/render.ts';
import { runCapacitySearches, type CapacitySearchResult } from '../../bench/kinds/capacity/execute.ts';
import { DEFAULT_RESOLUTION, DEFAULT_SLO, type CapacitySlo } from '../../bench/kinds/capacity/search.ts';
import { runAndRecord } from '../../bench/orchestrate.ts';
import { parseVias, withRoute } from '../../bench/pgbouncer/via.ts';
import { VIAS } from '../../bench/results/types.ts';
import { autocannonRunner } from '../../bench/runners/autocannon.ts';
import { SCENARIO_NAMES, type ScenarioName } from '../../scenarios/catalog.ts';
import { DEFAULTS, readConfig } from '../../src/config.ts';
import { intFlag, numFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, usableAdapters } from '../bench-options.ts';

const DEFAULT_SCENARIO: ScenarioName = 'mixed';
const DEFAULT_MAX_CONNECTIONS = 5000;
const DEFAULT_START = 8;
// Three windows per level, decided on their median p99: one window decides nothing on a shared machine
// (DESIGN.md, rule 3), and a level near the limit must not pass or fail on one disturbed window.
const DEFAULT_ROUNDS_PER_LEVEL = 3;

const HELP = `Usage: jobbench capacity [options]

For each adapter, finds how many concurrent client connections one server instance holds: starting
at --start connections it doubles while the level holds (p99 ≤ --slo-p99-ms and errors < 1%), then
bisects between the last level that held and the first that failed, to within 10%. Each level runs
against a freshly started \`jobbench serve\` (warm-up, then a measured window with autocannon in its
own process). Reports the largest level that held, and the curve of throughput, p99 and PostgreSQL
backends against connections. The adapters' searches are interleaved: in each turn every adapter
still searching measures its next level, in an order rotated each turn, so machine drift hits all
alike. The open-file limit is raised where allowed; when it, not the server,
stops the search, the report says so.

Options:
  --scenario NAME      the load (${SCENARIO_NAMES.join(', ')}); default ${DEFAULT_SCENARIO}
  --max-connections N  the highest level tried (default ${DEFAULT_MAX_CONNECTIONS})
  --start N            the first level (default ${DEFAULT_START})
  --slo-p99-ms MS      p99 a level must keep to hold (default ${DEFAULT_SLO.p99Ms}); errors must stay under 1%
  --via MODE           direct | pgbouncer | direct,pgbouncer (a PgBouncer in transaction mode started for
                       this run, its default_pool_size = --pool-max; postgres.js then runs with prepare:
                       false); both: each adapter searched both ways, interleaved (default direct)
${BENCH_FLAGS_HELP}
  (--rounds is the number of windows per level here, default ${DEFAULT_ROUNDS_PER_LEVEL}; --scenarios and --connections do not
  apply; --tool must be autocannon: the search is about concurrent connections, a closed model)

Examples:
  jobbench capacity --adapters pg-pool,postgres-js
  jobbench capacity --scenario get-job --max-connections 2000 --slo-p99-ms 50
  jobbench capacity --via direct,pgbouncer --pool-max 20

Exit codes: 0 every adapter held at least one level, 1 some adapter held none, 2 bad input or the
search stopped on an error (what was measured is written with status "aborted"), 130 interrupted.`;

export const command: Command = {
  name: 'capacity',
  summary: 'find the most concurrent connections each adapter holds within the SLO (double, then bisect)',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, {
      ...BENCH_FLAGS,
      scenario: { type: 'string' },
      'max-connections': { type: 'string' },
      start: { type: 'string' },
      'slo-p99-ms': { type: 'string' },
      via: { type: 'string' },
    });
    if (values.scenarios !== undefined || values.connections !== undefined)
      throw new UsageError(
        'capacity searches the connections itself for one --scenario: --scenarios and --connections do not apply',
      );
    if (values.tool !== undefined && values.tool !== 'autocannon')
      throw new UsageError('capacity runs autocannon only (a closed model: N connections kept busy)');
    const options = readBenchOptions(values);
    options.adapters = await usableAdapters(options.adapters, values.adapters !== undefined);
    const scenario = (values.scenario ?? DEFAULT_SCENARIO) as ScenarioName;
    if (!SCENARIO_NAMES.includes(scenario))
      throw new UsageError(`--scenario: unknown scenario "${values.scenario}"; valid: ${SCENARIO_NAMES.join(', ')}`);
    const maxConnections =
      intFlag('max-connections', values['max-connections'], 1, 1_000_000) ?? DEFAULT_MAX_CONNECTIONS;
    const startConnections = intFlag('start', values.start, 1, 1_000_000) ?? DEFAULT_START;
    if (startConnections > maxConnections)
      throw new UsageError(`--start ${startConnections} is above --max-connections ${maxConnections}`);
    const slo: CapacitySlo = {
      ...DEFAULT_SLO,
      p99Ms: numFlag('slo-p99-ms', values['slo-p99-ms'], 0.001, 600_000) ?? DEFAULT_SLO.p99Ms,
    };
    const vias = parseVias(values.via, VIAS);
    if (typeof vias === 'string') throw new UsageError(vias);
    const roundsPerLevel = values.rounds === undefined ? DEFAULT_ROUNDS_PER_LEVEL : options.rounds;
    const env = readConfig(process.env);

    const searches: CapacitySearchResult[] = [];
    let bouncer: CapacityAnalysis['pgbouncer'];
    let analysis: CapacityAnalysis | undefined;
    const config = {
      ...options,
      rounds: roundsPerLevel,
      scenarios: [scenario],
      connections: undefined,
      scenario,
      maxConnections,
      startConnections,
      slo,
      vias,
      resolution: DEFAULT_RESOLUTION,
    };

    const { exitCode } = await runAndRecord({
      kind: 'capacity',
      argv: ['capacity', ...argv],
      config,
      db: { databaseUrl: env.databaseUrl, mode: options.db, jobs: options.jobs, seed: options.seed },
      out: options.out,
      json: options.json,
      quiet: options.quiet,
      execute: (databaseUrl, progress, signal) =>
        withRoute(
          vias,
          { databaseUrl, poolSize: options.poolMax, statementTimeoutMs: DEFAULTS.statementTimeoutMs, progress },
          async (route): Promise<BenchmarkOutcome> => {
            if (route.pgbouncer)
              bouncer = {
                version: route.pgbouncer.version,
                poolSize: route.pgbouncer.poolSize,
                preparedStatements: route.pgbouncer.preparedStatements,
              };
            const results = await runCapacitySearches({
              targets: options.adapters.flatMap((adapter) =>
                vias.map((via) => ({ adapter, poolMax: options.poolMax, metrics: 'on' as const, via })),
              ),
              scenario,
              databaseUrl,
              connect: route.connect,
              runner: autocannonRunner,
              settings: {
                warmupS: options.warmupS,
                durationS: options.durationS,
                timeoutS: options.timeoutS,
                seed: options.seed,
                jobCount: options.jobs,
              },
              slo,
              maxConnections,
              startConnections,
              rounds: roundsPerLevel,
              progress,
              signal,
            });
            searches.push(...results);
            const error = searches.find((s) => s.error)?.error;
            return {
              cells: searches.flatMap((s) => s.cells),
              aborted: signal.aborted || searches.some((s) => s.stoppedBy === 'aborted' || s.stoppedBy === 'error'),
              ...(error ? { error } : {}),
            };
          },
        ),
      analyze: () => {
        analysis = {
          slo,
          maxConnections,
          startConnections,
          resolution: DEFAULT_RESOLUTION,
          roundsPerLevel,
          fd: searches[0]?.fd ?? ensureFdLimit(maxConnections, options.poolMax),
          ...(bouncer ? { pgbouncer: bouncer } : {}),
          searches: searches.map(storedSearch),
        };
        return { capacity: analysis };
      },
    });
    if (exitCode !== 0) return exitCode;
    return searches.every((s) => s.heldConnections !== null) ? EXIT.ok : EXIT.gateFailed;
  },
};
