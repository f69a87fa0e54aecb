import { KINDS } from '../../bench/kinds/index.ts';
import { planRun, RUN_METRICS_MODES } from '../../bench/kinds/run/plan.ts';
import { runKind } from '../../bench/shell/orchestrate.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { parsePlacement } from '../../bench/host/affinity.ts';
import { checkExternalTargets } from '../../bench/targets/external.ts';
import { CONTRACT_MODES } from '../../bench/targets/contract-probe.ts';
import { parseExternalTarget, type ExternalTarget } from '../../bench/targets/select.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { readConfig } from '../../src/config.ts';
import { faultHelpLines } from '../../bench/faults/schedule.ts';
import { checkDatabaseFaults } from '../../bench/faults/setup.ts';
import { enumFlag, intFlag, intListFlag, listFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, shellOf } from '../bench-options.ts';
import { readUsersOptions, SYNC_WORKERS_HELP, THINK_TIME_HELP, USERS_FLAGS } from '../users-flags.ts';
import { parseThresholds, readFaults } from '../run-flags.ts';
import { FACTOR_FLAGS, FACTOR_FLAGS_HELP, readFactors } from '../factor-flags.ts';
import { dryRunText, printDryRun, startsEmbeddedDb } from '../dry-run.ts';

const HELP = `Usage: jobbench run [options]

Benchmarks each target (docs/readme/targets.md): for every round (outer loop) and target (inner
loop, order rotated each round) it starts the server as a child process (\`jobbench serve\` for a
Node adapter, uvicorn for a FastAPI target; an external --target is already running), runs each
scenario's warm-up (discarded) and measured window with the load tool in its own process, samples
the server, and stops it. Writes results.json, report.md and report.html, then prints one table per
scenario. Every target but the Node adapters is first checked against the contract on the routes
the scenarios use (exit 2 with what differed).

Options:
${BENCH_FLAGS_HELP}
  --target L=URL[,app=NAME]  also measure an API jobbench does not start (repeatable), labelled L;
                      no process evidence ("n/a: external target"); DB backends from pg_stat_activity
                      of DATABASE_URL's database: those with application_name NAME, else all but jobbench's
  --contract MODE      strict | warn: an external target that differs from the job API contract (error
                      bodies, a missing GET /jobs/stats, extra fields) is refused (strict, the default) or
                      measured anyway (warn) when the scenarios' own routes answer the statuses they
                      expect; the differences are listed beside the target in the report. Without
                      GET /jobs/stats the ids come from --jobs (required then, with --no-seed)
  --no-seed           the targets own their data: seed nothing, restore nothing after writes; the
                      scenarios draw ids 1..N, N = --jobs, else the smallest GET /jobs/stats total of
                      the --target APIs (without a --target, --jobs is required)
  --metrics MODE      on | off | both: serve with Prometheus metrics on, off, or both (to show their
                      cost in server CPU µs/request); default on
  --rate R            k6 only: open model at R requests/s (constant-arrival-rate)
  --rates R1,R2       k6 only: several arrival rates, one cell each
  --k6-instances N    k6 only: split the load over N k6 processes (execution segments)
  --prometheus-rw URL k6 only: also send k6 metrics to Prometheus remote write (testid = run id)
  --k6-thresholds J   k6 only: SLO thresholds replacing the scenario's, as JSON, e.g.
                      '{"http_req_duration":["p(99)<50"]}'; a breached SLO marks the cell and exits 1
${THINK_TIME_HELP}
${SYNC_WORKERS_HELP}
${FACTOR_FLAGS_HELP}
  --no-ceilings       skip the machine's ceilings, measured once before the windows and shown as "% of
                      this machine's ceiling": bare node:http loaded until it is the bottleneck (else a
                      floor, its fractions shown "≤"); PostgreSQL alone running each database scenario's
                      own statements at the API's DB concurrency (pgbench or driver loop); a fingerprint
  --cpus PLACEMENT    pin to CPU sets with taskset, e.g. server=0,generator=1,db=1 (cpu lists: 0, 1, 0-1);
                      db only when the run starts its own PostgreSQL; affinity read back per window
  --cpu-profile       write a V8 .cpuprofile of the server per measured window (profiles/ beside
                      results.json) and list its top self-time functions in report.md
  --fault SPEC        inject a fault into every measured window (repeatable: one cell per --fault; a
                      comma joins several faults into one window); times count from the start of the
                      measured window and the fault must clear before it ends (docs/readme/faults.md):
${faultHelpLines().join('\n')}
                      network faults run through Toxiproxy (bash scripts/setup-tools.sh toxiproxy);
                      db-restart needs a database jobbench started (--db embedded), or --allow-db-restart
  --allow-db-restart  let db-restart stop and start the external PostgreSQL of DATABASE_URL: only on this
                      machine (loopback or Unix socket), as a superuser, with pg_ctlcluster or pg_ctl run
                      as root or as the data directory's owner; else refused with the reason (exit 2).
                      The server is started again on any exit (error, Ctrl-C) and left running
  --shed on,off       load shedding of jobbench's servers (serve --shed; threshold from
                      JOBBENCH_SHED_MAX_DELAY_MS): "on,off" measures each adapter both ways, interleaved,
                      with admitted p50/p99 and shed % in the report (docs/readme/shedding.md)

Environment: DATABASE_URL selects an external PostgreSQL (else an embedded one starts).

Examples:
  jobbench run                                   # quick profile, all adapters
  jobbench run --adapters pg-pool,postgres-js --scenarios get-job --rounds 3
  jobbench run --profile standard --connections 16,64 --metrics both
  jobbench run --tool k6 --rate 500 --scenarios get-job
  jobbench run --tool autocannon,wrk --scenarios health,get-job   # both tools on the same cells, interleaved
  jobbench run --tool k6 --think-time 1000 --connections 200 --scenarios mixed   # 200 users, 1 s think time
  jobbench run --adapters pg-sync,pg-pool --sync-workers 1,10 --scenarios get-job,mixed
  jobbench run --adapters pg-pool,fastapi-asyncpg --scenarios get-job,search
  jobbench run --adapters pg-pool --target mine=http://127.0.0.1:8000,app=myapp
  jobbench run --target mine=http://127.0.0.1:8000 --no-seed --scenarios search
  jobbench run --db embedded --duration 12 --fault db-restart@4s --fault latency=50ms@3s-7s
  jobbench run --profile stress --adapters pg-sync --scenarios get-job --shed on,off
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres jobbench run --fault db-restart@2s --allow-db-restart

Exit codes: 0 complete (a window that failed, e.g. the server died, is recorded in results.json's
failedWindows with its reason and the run goes on), 1 a k6 SLO threshold failed, 2 bad input or not
one window could be measured, 130 interrupted (Ctrl-C; what was measured is written with status
"aborted"). results.json is rewritten with status "running" after every window.`;

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  ...BENCH_FLAGS,
  metrics: { type: 'string' },
  rate: { type: 'string' },
  rates: { type: 'string' },
  'k6-instances': { type: 'string' },
  'prometheus-rw': { type: 'string' },
  'k6-thresholds': { type: 'string' },
  ...USERS_FLAGS,
  ...FACTOR_FLAGS,
  'no-ceilings': { type: 'boolean' },
  'cpu-profile': { type: 'boolean' },
  cpus: { type: 'string' },
  target: { type: 'string', multiple: true },
  'no-seed': { type: 'boolean' },
  contract: { type: 'string' },
  fault: { type: 'string', multiple: true },
  shed: { type: 'string' },
  'allow-db-restart': { type: 'boolean' },
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'run',
  summary: 'benchmark the adapters under load; writes results.json, report.md and report.html (the main job)',
  help: HELP,
  async run(argv) {
    const { values: given } = parse(argv, OPTIONS);
    const { values, factors } = readFactors(given);
    let external: ExternalTarget[];
    try {
      external = (values.target ?? []).map(parseExternalTarget);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (new Set(external.map((e) => e.label)).size !== external.length)
      throw new UsageError('--target: each label must be unique');
    const noSeed = values['no-seed'] ?? false;
    if (noSeed && external.length === 0 && values.jobs === undefined)
      throw new UsageError('--no-seed without a --target needs --jobs N: the ids 1..N that exist in the database');
    // Only external targets: no Node adapter unless named.
    const onlyExternal = external.length > 0 && values.adapters === undefined;
    const users = readUsersOptions(values);
    const read = await readBenchOptions(values, { fastapi: true, toolList: true });
    const contract = enumFlag('contract', values.contract, CONTRACT_MODES, 'strict');
    const externalCheck = await checkExternalTargets(external, read.scenarios, contract);
    if (!externalCheck.ok) throw new HarnessError('JOBBENCH_CLI_ERR_CONTRACT', externalCheck.message);
    for (const e of external)
      if (externalCheck.differences[e.label]) e.contractDifferences = externalCheck.differences[e.label];
    if (noSeed && values.jobs === undefined && externalCheck.withoutStats.length > 0)
      throw new UsageError(
        `--no-seed: ${externalCheck.withoutStats.join(', ')} has no usable GET /jobs/stats to count its jobs: give --jobs N (the ids 1..N that exist)`,
      );
    const jobs =
      noSeed && values.jobs === undefined && externalCheck.jobsTotal !== null ? externalCheck.jobsTotal : read.jobs;
    const options = { ...read, jobs, ...(onlyExternal ? { adapters: [] } : {}) };
    const metrics = enumFlag('metrics', values.metrics, RUN_METRICS_MODES, 'on');
    const rates =
      intListFlag('rates', values.rates, 1, 1_000_000) ??
      (values.rate === undefined ? undefined : [intFlag('rate', values.rate, 1, 1_000_000)!]);
    const k6Instances = intFlag('k6-instances', values['k6-instances'], 1, 64);
    // With several tools (--tool autocannon,wrk), the k6-only options need every one of them to be k6.
    const allK6 = options.tools.every((t) => t === 'k6');
    if (!allK6 && (rates || k6Instances || values['prometheus-rw'] || values['k6-thresholds'])) {
      throw new UsageError(
        '--rate, --rates, --k6-instances, --prometheus-rw and --k6-thresholds need --tool k6 (autocannon runs a closed model)',
      );
    }
    if (users.thinkTimeMs !== undefined && !allK6)
      throw new UsageError(
        '--think-time needs --tool k6: autocannon and wrk send the next request as soon as the answer arrives',
      );
    if (users.thinkTimeMs !== undefined && rates)
      throw new UsageError('--think-time is for concurrent users (a closed model): it does not go with --rate/--rates');
    const thresholds = parseThresholds(values['k6-thresholds']);
    // k6 rejects scenario durations under 1 s (its executors' own validation).
    if (options.tools.includes('k6') && (options.durationS < 1 || (options.warmupS > 0 && options.warmupS < 1))) {
      throw new UsageError(
        'with --tool k6, --duration and a non-zero --warmup must be at least 1 second (k6 rejects shorter scenarios)',
      );
    }
    let cpus;
    try {
      cpus = values.cpus === undefined ? undefined : parsePlacement(values.cpus);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const env = readConfig(process.env); // validates DATABASE_URL
    const faults = readFaults(values.fault, options.durationS);
    if (factors.dbLatencyMs && faults?.some((f) => f.needsProxy))
      throw new UsageError('--db-latency and a network --fault both put Toxiproxy before PostgreSQL: use one');
    const shed = listFlag('shed', values.shed, ['on', 'off'] as const);
    const externalDb = options.db === 'external' || (options.db === 'auto' && env.databaseUrl !== undefined);
    const allowDbRestart = values['allow-db-restart'] === true;
    if (allowDbRestart && !faults?.some((s) => s.faults.some((f) => f.kind === 'db-restart')))
      throw new UsageError('--allow-db-restart goes with --fault db-restart@…: nothing else restarts the database');
    // Refused before anything starts; the database itself is checked again once provisioned.
    if (faults)
      checkDatabaseFaults(
        faults,
        externalDb ? 'external' : options.db === 'docker' ? 'docker' : 'embedded',
        externalDb ? allowDbRestart : options.db !== 'docker',
      );
    const runners = await Promise.all(
      options.tools.map((tool) =>
        RUNNERS[tool]().catch((err: Error) => {
          throw new UsageError(err.message);
        }),
      ),
    );
    const plan = planRun({
      ...options,
      databaseUrl: env.databaseUrl,
      metrics,
      ceilings: values['no-ceilings'] !== true,
      cpuProfile: values['cpu-profile'] === true,
      ...(cpus ? { cpus } : {}),
      ...(noSeed ? { noSeed } : {}),
      ...(options.fastapi.length ? { fastapi: options.fastapi } : {}),
      ...(external.length ? { external, contract } : {}),
      ...(rates ? { rates } : {}),
      ...users,
      ...(faults ? { faults } : {}),
      ...(shed ? { shed } : {}),
      factors,
      ...(allowDbRestart && externalDb ? { allowDbRestart } : {}),
      ...(allK6
        ? {
            k6: {
              ...(k6Instances ? { instances: k6Instances } : {}),
              ...(values['prometheus-rw'] ? { prometheusRw: values['prometheus-rw'] } : {}),
              ...(thresholds ? { thresholds } : {}),
            },
          }
        : {}),
      runner: runners[0]!,
      ...(runners.length > 1 ? { runners } : {}),
    });
    const dryRun = { ceilings: plan.ceilings, embeddedDb: startsEmbeddedDb(options.db, env.databaseUrl) };
    if (values['dry-run']) return printDryRun(dryRunText('run', plan.benchmark, dryRun));
    const { exitCode, results } = await runKind(KINDS.run, plan, { argv: ['run', ...argv], ...shellOf(options) });
    if (exitCode !== 0) return exitCode;
    return results.cells.some((c) => c.sloPassed === false) ? EXIT.gateFailed : EXIT.ok;
  },
};
