import { KINDS } from '../../bench/kinds/index.ts';
import { planRun, RUN_METRICS_MODES } from '../../bench/kinds/run/plan.ts';
import { runKind } from '../../bench/orchestrate.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { readConfig } from '../../src/config.ts';
import { FaultSpecError } from '../../bench/faults/errors.ts';
import { faultHelpLines, parseFaultSchedule, type FaultSchedule } from '../../bench/faults/schedule.ts';
import { checkDatabaseFaults } from '../../bench/faults/setup.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { enumFlag, intFlag, intListFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, shellOf } from '../bench-options.ts';

const HELP = `Usage: jobbench run [options]

Benchmarks the reference API with each adapter: for every round (outer loop) and adapter (inner
loop, order rotated each round) it starts \`jobbench serve\` as a child process, runs each scenario's
warm-up (discarded) and measured window with the load tool in its own process, samples the server,
and stops it. Writes results.json, report.md and report.html, then prints one table per scenario.

Options:
${BENCH_FLAGS_HELP}
  --metrics MODE      on | off | both: serve with Prometheus metrics on, off, or both (to show their
                      cost in server CPU µs/request); default on
  --rate R            k6 only: open model at R requests/s (constant-arrival-rate)
  --rates R1,R2       k6 only: several arrival rates, one cell each
  --k6-instances N    k6 only: split the load over N k6 processes (execution segments)
  --prometheus-rw URL k6 only: also send k6 metrics to Prometheus remote write (testid = run id)
  --k6-thresholds J   k6 only: SLO thresholds replacing the scenario's, as JSON, e.g.
                      '{"http_req_duration":["p(99)<50"]}'; a breached SLO marks the cell and exits 1
  --fault SPEC        inject a fault into every measured window (repeatable: one cell per --fault; a
                      comma joins several faults into one window); times count from the start of the
                      measured window and the fault must clear before it ends (docs/readme/faults.md):
${faultHelpLines().join('\n')}
                      network faults run through Toxiproxy (bash scripts/setup-tools.sh toxiproxy);
                      db-restart needs a database jobbench started (--db embedded)

Environment: DATABASE_URL selects an external PostgreSQL (else an embedded one starts).

Examples:
  jobbench run                                   # quick profile, all adapters
  jobbench run --adapters pg-pool,postgres-js --scenarios get-job --rounds 3
  jobbench run --profile standard --connections 16,64 --metrics both
  jobbench run --tool k6 --rate 500 --scenarios get-job
  jobbench run --db embedded --duration 12 --fault db-restart@4s --fault latency=50ms@3s-7s

Exit codes: 0 complete (a window that failed, e.g. the server died, is recorded in results.json's
failedWindows with its reason and the run goes on), 1 a k6 SLO threshold failed, 2 bad input or not
one window could be measured, 130 interrupted (Ctrl-C; what was measured is written with status
"aborted"). results.json is rewritten with status "running" after every window.`;

/** --fault values: one schedule each, validated against the measured window (bad input: exit 2). */
function readFaults(values: string[] | undefined, durationS: number): FaultSchedule[] | undefined {
  if (!values || values.length === 0) return undefined;
  try {
    return values.map((v) => parseFaultSchedule(v, { durationS }));
  } catch (err) {
    if (err instanceof FaultSpecError) throw new HarnessError('JOBBENCH_CLI_ERR_FAULT', err.message, { cause: err });
    throw err;
  }
}

/** --k6-thresholds: a JSON object of k6 metric name -> threshold expressions. */
function parseThresholds(raw: string | undefined): Record<string, string[]> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`--k6-thresholds must be JSON, e.g. '{"http_req_duration":["p(99)<50"]}', got ${raw}`);
  }
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string'));
  if (!ok) throw new UsageError('--k6-thresholds must map each k6 metric to a non-empty array of expressions');
  return parsed as Record<string, string[]>;
}

export const command: Command = {
  name: 'run',
  summary: 'benchmark the adapters under load; writes results.json, report.md and report.html (the main job)',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, {
      ...BENCH_FLAGS,
      metrics: { type: 'string' },
      rate: { type: 'string' },
      rates: { type: 'string' },
      'k6-instances': { type: 'string' },
      'prometheus-rw': { type: 'string' },
      'k6-thresholds': { type: 'string' },
      fault: { type: 'string', multiple: true },
    });
    const options = await readBenchOptions(values);
    const metrics = enumFlag('metrics', values.metrics, RUN_METRICS_MODES, 'on');
    const rates =
      intListFlag('rates', values.rates, 1, 1_000_000) ??
      (values.rate === undefined ? undefined : [intFlag('rate', values.rate, 1, 1_000_000)!]);
    const k6Instances = intFlag('k6-instances', values['k6-instances'], 1, 64);
    if (options.tool !== 'k6' && (rates || k6Instances || values['prometheus-rw'] || values['k6-thresholds'])) {
      throw new UsageError(
        '--rate, --rates, --k6-instances, --prometheus-rw and --k6-thresholds need --tool k6 (autocannon runs a closed model)',
      );
    }
    const thresholds = parseThresholds(values['k6-thresholds']);
    // k6 rejects scenario durations under 1 s (its executors' own validation).
    if (options.tool === 'k6' && (options.durationS < 1 || (options.warmupS > 0 && options.warmupS < 1))) {
      throw new UsageError(
        'with --tool k6, --duration and a non-zero --warmup must be at least 1 second (k6 rejects shorter scenarios)',
      );
    }
    const env = readConfig(process.env); // validates DATABASE_URL
    const faults = readFaults(values.fault, options.durationS);
    const external = options.db === 'external' || (options.db === 'auto' && env.databaseUrl !== undefined);
    // Refused before anything starts; the database itself is checked again once provisioned.
    if (faults)
      checkDatabaseFaults(
        faults,
        external ? 'external' : options.db === 'docker' ? 'docker' : 'embedded',
        !external && options.db !== 'docker',
      );
    const runner = await RUNNERS[options.tool]().catch((err: Error) => {
      throw new UsageError(err.message);
    });
    const plan = planRun({
      ...options,
      databaseUrl: env.databaseUrl,
      metrics,
      ...(rates ? { rates } : {}),
      ...(faults ? { faults } : {}),
      ...(options.tool === 'k6'
        ? {
            k6: {
              ...(k6Instances ? { instances: k6Instances } : {}),
              ...(values['prometheus-rw'] ? { prometheusRw: values['prometheus-rw'] } : {}),
              ...(thresholds ? { thresholds } : {}),
            },
          }
        : {}),
      runner,
    });
    const { exitCode, results } = await runKind(KINDS.run, plan, { argv: ['run', ...argv], ...shellOf(options) });
    if (exitCode !== 0) return exitCode;
    return results.cells.some((c) => c.sloPassed === false) ? EXIT.gateFailed : EXIT.ok;
  },
};
