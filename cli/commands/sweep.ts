import { KINDS } from '../../bench/kinds/index.ts';
import { DEFAULT_POOLS, DEFAULT_SWEEP_SCENARIO, planSweep } from '../../bench/kinds/sweep/plan.ts';
import { DEFAULT_CRITERIA, type SweepCriteria } from '../../bench/kinds/sweep/recommend.ts';
import { runKind } from '../../bench/shell/orchestrate.ts';
import { parseVias } from '../../bench/pgbouncer/via.ts';
import { VIAS } from '../../bench/results/types.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { readConfig } from '../../src/config.ts';
import { intFlag, intListFlag, numFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import { dryRunText, printDryRun, startsEmbeddedDb } from '../dry-run.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, shellOf } from '../bench-options.ts';

const DEFAULT_SCENARIOS = DEFAULT_SWEEP_SCENARIO;

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

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  ...BENCH_FLAGS,
  pool: { type: 'string' },
  'slo-p99-ms': { type: 'string' },
  'peak-share': { type: 'string' },
  via: { type: 'string' },
  'pgbouncer-pool': { type: 'string' },
  rate: { type: 'string' },
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'sweep',
  summary: 'measure each adapter across pool sizes and recommend a pool size (knee within the SLO)',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, OPTIONS);
    if (values['pool-max'] !== undefined)
      throw new UsageError('--pool-max does not apply to a sweep: give the pool sizes with --pool');
    const pools = [...new Set(intListFlag('pool', values.pool, 1, 10_000) ?? DEFAULT_POOLS)].sort((a, b) => a - b);
    const options = await readBenchOptions({ ...values, scenarios: values.scenarios ?? DEFAULT_SCENARIOS });
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
    const runner = await RUNNERS[options.tool]().catch((err: Error) => {
      throw new UsageError(err.message);
    });
    const plan = planSweep({
      ...options,
      // Every pool can be saturated: by default as many connections as the largest pool.
      connections: values.connections === undefined ? [Math.max(...pools)] : options.connections,
      databaseUrl: env.databaseUrl,
      pools,
      criteria,
      vias,
      pgbouncerPool,
      ...(rate !== undefined ? { rate } : {}),
      runner,
    });
    if (values['dry-run'])
      return printDryRun(
        dryRunText('sweep', plan, { ceilings: false, embeddedDb: startsEmbeddedDb(options.db, env.databaseUrl) }),
      );
    const { exitCode, analysis } = await runKind(KINDS.sweep, plan, { argv: ['sweep', ...argv], ...shellOf(options) });
    if (exitCode !== 0) return exitCode;
    return analysis && analysis.groups.every((g) => g.recommendation.recommendedPoolMax !== null)
      ? EXIT.ok
      : EXIT.gateFailed;
  },
};
