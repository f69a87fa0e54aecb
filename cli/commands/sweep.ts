import { executeBenchmark } from '../../bench/benchmark.ts';
import { runAndRecord } from '../../bench/orchestrate.ts';
import { parseVias, withRoute } from '../../bench/pgbouncer/via.ts';
import type { LoadSpec } from '../../bench/plan.ts';
import { VIAS } from '../../bench/results/types.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { analyzeSweep, type SweepAnalysis } from '../../bench/kinds/sweep/analyze.ts';
import { probingRunner, type ProbedWindow } from '../../bench/kinds/sweep/db-time-probe.ts';
import { machineContext } from '../../bench/kinds/sweep/machine.ts';
import { DEFAULT_CRITERIA, type SweepCriteria } from '../../bench/kinds/sweep/recommend.ts';
import type { TargetSpec } from '../../bench/target.ts';
import { DEFAULTS, readConfig } from '../../src/config.ts';
import { intFlag, intListFlag, numFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, usableAdapters } from '../bench-options.ts';

const DEFAULT_POOLS = [1, 2, 4, 8, 16, 32, 64];
const DEFAULT_SCENARIOS = 'mixed'; // pool sizing is about a realistic mix, not one query

const HELP = `Usage: jobbench sweep [options]

Measures each adapter at each pool size (targets = adapters × pool sizes, interleaved across rounds:
every round visits every target in a rotated order), then recommends a pool size per adapter and
scenario: the smallest pool that reaches at least --peak-share of the peak throughput with p99 within
--slo-p99-ms (and errors under 1%). The reasoning is printed beside it: what was measured, Little's
law (busy connections = req/s × DB time per request, the DB time read from the server's
jobbench_db_query_duration_seconds before and after each window), and the HikariCP rule of thumb
(cores × 2 + effective spindles, from this machine's cores when the database runs here).

Options:
  --pool N,M,...      pool sizes to measure (default ${DEFAULT_POOLS.join(',')})
  --slo-p99-ms MS     p99 latency a recommended pool must keep (default ${DEFAULT_CRITERIA.sloP99Ms})
  --peak-share S      share of the peak throughput a recommended pool must reach, 0-1 (default ${DEFAULT_CRITERIA.peakShare})
  --via MODE          direct | pgbouncer | direct,pgbouncer: reach PostgreSQL directly, through a PgBouncer
                      in transaction mode started for this run (postgres.js then runs with prepare: false),
                      or both, interleaved as separate targets to compare them within one run (default direct)
  --pgbouncer-pool N  PgBouncer's default_pool_size (default: the largest --pool)
  --rate R            k6 only: open model at R requests/s instead of --connections
${BENCH_FLAGS_HELP}
  (--scenarios defaults to ${DEFAULT_SCENARIOS}; --connections to the largest --pool, so every pool can be
  saturated; --pool-max is replaced by --pool)

Examples:
  jobbench sweep --adapters pg-pool --pool 1,2,4,8,16,32,64
  jobbench sweep --adapters pg-pool,postgres-js --scenarios get-job --connections 128 --rounds 5
  jobbench sweep --via direct,pgbouncer --pool 4,16,64 --slo-p99-ms 50

Exit codes: 0 complete with a recommendation for every curve, 1 complete but some curve has no pool
size meeting the criteria, 2 bad input or the run stopped on an error (what was measured is written
with status "aborted"), 130 interrupted.`;

export const command: Command = {
  name: 'sweep',
  summary: 'measure each adapter across pool sizes and recommend a pool size (knee within the SLO)',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, {
      ...BENCH_FLAGS,
      pool: { type: 'string' },
      'slo-p99-ms': { type: 'string' },
      'peak-share': { type: 'string' },
      via: { type: 'string' },
      'pgbouncer-pool': { type: 'string' },
      rate: { type: 'string' },
    });
    if (values['pool-max'] !== undefined)
      throw new UsageError('--pool-max does not apply to a sweep: give the pool sizes with --pool');
    const pools = [...new Set(intListFlag('pool', values.pool, 1, 10_000) ?? DEFAULT_POOLS)].sort((a, b) => a - b);
    const options = readBenchOptions({ ...values, scenarios: values.scenarios ?? DEFAULT_SCENARIOS });
    options.adapters = await usableAdapters(options.adapters, values.adapters !== undefined);
    const connections = values.connections === undefined ? [Math.max(...pools)] : options.connections;
    const criteria: SweepCriteria = {
      ...DEFAULT_CRITERIA,
      sloP99Ms: numFlag('slo-p99-ms', values['slo-p99-ms'], 0.001, 600_000) ?? DEFAULT_CRITERIA.sloP99Ms,
      peakShare: numFlag('peak-share', values['peak-share'], 0.01, 1) ?? DEFAULT_CRITERIA.peakShare,
    };
    const vias = parseVias(values.via, VIAS);
    if (typeof vias === 'string') throw new UsageError(vias);
    const pgbouncerPool = intFlag('pgbouncer-pool', values['pgbouncer-pool'], 1, 10_000) ?? Math.max(...pools);
    if (values['pgbouncer-pool'] !== undefined && !vias.includes('pgbouncer'))
      throw new UsageError('--pgbouncer-pool needs --via pgbouncer');
    const rate = intFlag('rate', values.rate, 1, 1_000_000);
    if (rate !== undefined && options.tool !== 'k6')
      throw new UsageError('--rate needs --tool k6 (autocannon runs a closed model)');
    const env = readConfig(process.env);
    const baseRunner = await RUNNERS[options.tool]().catch((err: Error) => {
      throw new UsageError(err.message);
    });

    // Adapters outside, routes, then pools inside: buildSchedule rotates this list each round.
    const targets: TargetSpec[] = options.adapters.flatMap((adapter) =>
      vias.flatMap((via) => pools.map((poolMax) => ({ adapter, poolMax, metrics: 'on' as const, via }))),
    );
    const loads: LoadSpec[] = options.scenarios.flatMap((scenario) =>
      rate !== undefined
        ? [{ scenario, connections: connections[0]!, rate }]
        : connections.map((c) => ({ scenario, connections: c })),
    );
    let probes: ProbedWindow[] = [];
    let bouncer: SweepAnalysis['pgbouncer'];
    let analysis: SweepAnalysis | undefined;
    let machineUrl = '';
    const config = {
      ...options,
      poolMax: undefined,
      pools,
      connections,
      criteria,
      vias,
      ...(vias.includes('pgbouncer') ? { pgbouncerPool } : {}),
      ...(rate !== undefined ? { rate } : {}),
    };

    const { exitCode } = await runAndRecord({
      kind: 'sweep',
      argv: ['sweep', ...argv],
      config,
      db: { databaseUrl: env.databaseUrl, mode: options.db, jobs: options.jobs, seed: options.seed },
      out: options.out,
      json: options.json,
      quiet: options.quiet,
      execute: (databaseUrl, progress, signal, runId) => {
        machineUrl = databaseUrl;
        return withRoute(
          vias,
          { databaseUrl, poolSize: pgbouncerPool, statementTimeoutMs: DEFAULTS.statementTimeoutMs, progress },
          (route) => {
            if (route.pgbouncer)
              bouncer = {
                version: route.pgbouncer.version,
                poolSize: route.pgbouncer.poolSize,
                preparedStatements: route.pgbouncer.preparedStatements,
              };
            const probe = probingRunner(baseRunner, {
              warmup: options.warmupS > 0,
              ...(route.pgbouncer
                ? { pgbouncer: { adminUrl: route.pgbouncer.adminUrl, database: route.database } }
                : {}),
            });
            probes = probe.windows;
            return executeBenchmark(
              {
                rounds: options.rounds,
                targets,
                loads,
                runner: probe.runner,
                databaseUrl,
                connect: (target) => {
                  probe.visiting(target);
                  return route.connect(target);
                },
                settings: {
                  warmupS: options.warmupS,
                  durationS: options.durationS,
                  timeoutS: options.timeoutS,
                  seed: options.seed,
                  jobCount: options.jobs,
                  ...(options.tool === 'k6' ? { k6: { testId: runId } } : {}),
                },
              },
              progress,
              signal,
            );
          },
        );
      },
      analyze: (cells) => {
        analysis = analyzeSweep(cells, probes, criteria, machineContext(machineUrl, options.jobs), bouncer);
        return { sweep: analysis };
      },
    });
    if (exitCode !== 0) return exitCode;
    return analysis && analysis.groups.every((g) => g.recommendation.recommendedPoolMax !== null)
      ? EXIT.ok
      : EXIT.gateFailed;
  },
};
