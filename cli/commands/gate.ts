import { appendFile, writeFile } from 'node:fs/promises';
import { compareGateRun, CompareInputError } from '../../bench/compare/compare.ts';
import { renderCompareTerminal } from '../../bench/compare/render-terminal.ts';
import { COMPARE_METRICS } from '../../bench/compare/metrics.ts';
import { checkExternalTargets } from '../../bench/targets/external.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { instructionsMarkdown } from '../../bench/instructions/render.ts';
import { instructionsPassed } from '../../bench/instructions/verdict.ts';
import { KINDS } from '../../bench/kinds/index.ts';
import { planGate } from '../../bench/kinds/gate/plan.ts';
import { gateParts } from '../../bench/kinds/gate/estimate.ts';
import type { TargetSpec } from '../../bench/targets/spec.ts';
import { loadNames, planText, printDryRun, startsEmbeddedDb } from '../dry-run.ts';
import { ownHead, resolveRef, type Revision } from '../../bench/kinds/gate/revision.ts';
import { runKind } from '../../bench/shell/orchestrate.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { PROFILES } from '../../scenarios/profiles.ts';
import { readConfig } from '../../src/config.ts';
import { intFlag, parse } from '../args.ts';
import { BENCH_FLAGS, benchFlagsHelp, readBenchOptions, shellOf } from '../bench-options.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import {
  GATE_DEFAULT_ADAPTERS,
  GATE_EXTRA_ROUNDS,
  GATE_FLAGS,
  GATE_QUICK,
  readGateOnlyOptions,
  readMaxRounds,
} from '../gate-options.ts';
import { writeOutputs } from './compare.ts';

const P = PROFILES.gate;

const HELP = `Usage: jobbench gate --base <git-ref> [--head <git-ref>] [options]
       jobbench gate --base-target URL --head-target URL [options]

The performance regression gate: measures the base revision and the head (default: the working tree)
in ONE run on one machine, interleaved and order-rotated per round, then compares them cell by cell
(the engine of \`jobbench compare\`). The base (and a --head ref) is checked out into a temporary git
worktree under .jobbench/gate/ (node_modules reused when package-lock.json is identical, else npm ci),
removed on exit. Each side gets its own database on the one PostgreSQL server, migrated by its own
checkout's migrations and seeded alike. Targets = adapters × {base, head}.

Duration: the gate profile is ${P.rounds} rounds × 2 sides × (${P.scenarios.join(', ')}) × (${P.warmupS} s warm-up + ${P.durationS} s),
one server per side kept across rounds: about 75 s per adapter on a 2-core machine, plus checkout
and seeding; cells still undecided get up to ${GATE_EXTRA_ROUNDS} more rounds (--max-rounds), about 18 s per
cell and 4 rounds; then the instruction counts, about 80 s (valgrind, one start per side). The default
gate took 2 min 45 s on the 2-core VM (2026-12-07, embedded database included). --quick: ${GATE_QUICK.rounds}
rounds × (${GATE_QUICK.warmupS} + ${GATE_QUICK.durationS} s), one look. --dry-run prints the plan and its estimate.

Verdicts: per cell and metric, from per-round log ratios ln(head/base) (paired t interval, sign-flip
test): regressed / improved (a change past the threshold, the test agreeing), unchanged (the interval
within ± threshold), inconclusive (neither, with the rounds that would resolve it); each of the gate's
looks tests at 0.05 / looks, shared by its timed checks (req/s, p50, p99, CPU/request of every cell) by
Holm's step-down, so the chance of any false verdict over the whole gate stays ≤ 5%. Rounds disturbed by other processes are measured again once, then left out
(and counted in the cell's notes). Queries/request are exact counts.

Gate options:
  --base REF             the revision to compare against (required), e.g. origin/main, HEAD~1, a sha
  --head REF             the revision under test (default: the working tree, uncommitted changes included)
  --base-env KEY=VALUE   extra environment of the base's servers only (repeatable)
  --head-env KEY=VALUE   extra environment of the head's servers only (repeatable), e.g. the fault
                         injection settings JOBBENCH_INJECT_CPU_US=200, JOBBENCH_INJECT_QUERIES=1 or
                         JOBBENCH_INJECT_WORK=2000
  --base-pool-max N      pool max of the base's servers only; --head-pool-max N likewise for the head
                         (the cells keep --pool-max so that both sides still match)
  --db-latency L         ms added per round trip between each side's server and its database (Toxiproxy;
                         bash scripts/setup-tools.sh toxiproxy), e.g. 2: a change a loopback database hides
                         (a smaller pool) shows; the instruction count stays direct
  --base-target URL[,app=NAME]  instead of revisions: two running deployments serving the job API contract
  --head-target URL[,app=NAME]  (e.g. your FastAPI app at two versions), interleaved in one run, same
                         verdicts; nothing checked out or started; server CPU and RSS are n/a. app=: the
                         application_name of its database connections (else all but jobbench's own)
  --base-database URL    that deployment's PostgreSQL database, where pg_stat_statements and backends are
  --head-database URL    read (default DATABASE_URL); give each side its own for database work per request
  --markdown FILE        write the Markdown summary (for $GITHUB_STEP_SUMMARY or a PR comment)
  --junit FILE           write JUnit XML: one testcase per cell × metric, a failure per regression
  --bmf FILE             write Bencher Metric Format JSON
  --github-benchmark DIR write github-action-benchmark's bigger/smaller-is-better JSON files
  --html FILE            write the HTML page: base vs head bars, latency percentile spectrum
  --threshold METRIC=PCT practical threshold in %, repeatable; METRIC one of
                         ${COMPARE_METRICS.map((m) => m.alias).join(', ')}
  --config FILE          thresholds config (default ./jobbench.config.json, else package.json#jobbench)
  --max-rounds N         sequential cap: undecided cells get 4 more rounds at a time up to N rounds
                         (default --rounds + ${GATE_EXTRA_ROUNDS}; = --rounds: one look, no extension)
  --rate N               with --tool k6: an open model at N requests/s on both sides (pick about half of
                         the base's req/s), so that server CPU/request measures work, not a share of a
                         saturated core; latency then compares at equal load (warm-up 1 s: k6's minimum)
  --quick                a smaller gate: ${GATE_QUICK.rounds} rounds (the fewest whose sign-flip test can reach p < 0.05 / 8,
                         Holm's first step over 8 timed checks), ${GATE_QUICK.warmupS} s warm-up + ${GATE_QUICK.durationS} s, one look
                         (explicit --rounds, --warmup, --duration win)

Instructions per request (callgrind; exact where time is noisy, docs/readme/gate.md):
  --instructions on|off  count each side's instructions per request under valgrind (default on; "n/a"
                         with the install line when valgrind is missing, and the rest of the gate runs)
  --instructions-threshold PCT  a change of the median beyond ± PCT % is a verdict (default 0.5)
  --instructions-starts N       server starts per side, base and head side by side (default 1)
  --instructions-requests N     counted requests per scenario and start, after 4000 warm-up (default 200)

Benchmark options (as jobbench run, with the gate's own defaults):
${gateBenchHelp()}

Examples:
  jobbench gate --base HEAD~1                                # the working tree vs the last commit
  jobbench gate --base origin/main --out perf-gate --markdown perf-gate/summary.md \\
    --junit perf-gate/junit.xml --html perf-gate/compare.html
  jobbench gate --base HEAD --head-env JOBBENCH_INJECT_CPU_US=100   # calibration: must fail
  jobbench gate --base HEAD --head-env JOBBENCH_INJECT_WORK=2000    # +~1.6% instructions/request on get-job: must fail
  jobbench gate --base main --head my-branch --adapters pg-pool,postgres-js --rounds 8
  jobbench gate --base-target http://127.0.0.1:8001 --head-target http://127.0.0.1:8002

Exit codes: 0 no regression; 1 at least one cell × metric, or one scenario's instructions/request,
regressed (named on stdout); 2 bad input (a
ref that does not exist, bad flags or thresholds) or a gate that could not run or stopped early (a gate
never passes on bad input or an aborted run); 130 interrupted. Details: docs/readme/gate.md.`;

/** The shared benchmark flags' help with the gate's defaults in place of run's (profile, adapters, tool). */
function gateBenchHelp(): string {
  return benchFlagsHelp({ profile: 'gate', adapters: GATE_DEFAULT_ADAPTERS.join(', ') }).replace(
    /\(default autocannon; docs\/readme\/run\.md: which tool\);\n[^\n]*\n/,
    '(default autocannon; k6 with --rate N)\n',
  );
}

async function resolveSides(baseRef: string, headRef: string | undefined): Promise<[Revision, Revision]> {
  const base = await resolveRef(baseRef);
  if (headRef !== undefined) return [base, await resolveRef(headRef)];
  const head = await ownHead();
  return [base, { ref: `working tree${head ? ` (on ${head.slice(0, 12)})` : ''}`, commit: null }];
}

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = { ...BENCH_FLAGS, ...GATE_FLAGS } as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'gate',
  summary: 'the CI regression gate: base vs head revisions in one interleaved run; exit 1 on a regression',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, OPTIONS);
    const gate = await readGateOnlyOptions(values);
    const quick = values.quick === true;
    // k6 rejects scenarios under 1 s: with --tool k6 the warm-up is at least 1 s unless given.
    const k6 = values.tool === 'k6';
    const options = await readBenchOptions(
      {
        ...values,
        adapters: values.adapters ?? GATE_DEFAULT_ADAPTERS.join(','),
        ...(k6 && values.warmup === undefined ? { warmup: '1' } : {}),
        ...(quick
          ? {
              rounds: values.rounds ?? String(GATE_QUICK.rounds),
              warmup: values.warmup ?? String(k6 ? 1 : GATE_QUICK.warmupS),
              duration: values.duration ?? String(GATE_QUICK.durationS),
            }
          : {}),
      },
      { profile: 'gate', tool: 'autocannon' },
    );
    const maxRounds = readMaxRounds(values['max-rounds'], options.rounds, quick);
    if (options.tool === 'wrk') throw new UsageError('jobbench gate measures with --tool autocannon or k6 (--rate N)');
    const rate = intFlag('rate', values.rate, 1, 1_000_000);
    if ((options.tool === 'k6') !== (rate !== undefined))
      throw new UsageError('--tool k6 and --rate N go together: k6 runs the gate at a fixed rate (requests/s)');
    if (options.tool === 'k6' && (options.durationS < 1 || (options.warmupS > 0 && options.warmupS < 1)))
      throw new UsageError('with --tool k6, --duration and a non-zero --warmup must be at least 1 second');
    const env = readConfig(process.env); // validates DATABASE_URL
    if (gate.targets && values.adapters !== undefined)
      throw new UsageError(
        '--adapters names targets the gate starts: with --base-target/--head-target it measures those',
      );
    let settings: typeof options & { noSeed?: boolean } = options;
    const dryRun = values['dry-run'] === true; // plans without reaching the deployments or the database
    if (gate.targets && !dryRun) {
      const check = await checkExternalTargets([gate.targets.base.target, gate.targets.head.target], options.scenarios);
      if (!check.ok) throw new HarnessError('JOBBENCH_CLI_ERR_CONTRACT', check.message);
      // The deployments own their data: nothing is seeded; ids are drawn from 1..the smaller job count (else --jobs).
      const jobs = values.jobs === undefined && check.jobsTotal !== null ? check.jobsTotal : options.jobs;
      settings = { ...options, noSeed: true, jobs };
    }
    const [base, head]: [Revision, Revision] = gate.targets
      ? [
          { ref: gate.targets.base.target.url, commit: null },
          { ref: gate.targets.head.target.url, commit: null },
        ]
      : await resolveSides(gate.baseRef!, gate.headRef);
    const runner = await RUNNERS[options.tool]().catch((err: Error) => {
      throw new UsageError(err.message);
    });
    const side = (s: 'base' | 'head', revision: Revision) => {
      const ext = gate.targets?.[s];
      return {
        revision,
        env: gate.env[s],
        ...(gate.poolMax[s] !== undefined ? { poolMax: gate.poolMax[s] } : {}),
        ...(ext ? { external: { ...ext.target, ...(ext.databaseUrl ? { databaseUrl: ext.databaseUrl } : {}) } } : {}),
      };
    };
    const plan = planGate({
      ...settings,
      databaseUrl: env.databaseUrl,
      base: side('base', base),
      head: side('head', head),
      thresholds: gate.thresholds,
      runner,
      maxRounds,
      ...(rate === undefined ? {} : { rate }),
      instructions: gate.instructions,
      ...(gate.dbLatencyMs !== undefined ? { dbLatencyMs: gate.dbLatencyMs } : {}),
    });
    if (dryRun) {
      const b = plan.benchmark;
      const title = `base ${base.ref} vs head ${head.ref}, ${b.rounds} rounds${plan.maxRounds > b.rounds ? ` (up to ${plan.maxRounds})` : ''}`;
      return printDryRun(
        planText('gate', title, b.targets as TargetSpec[], loadNames(b), gateParts(plan), {
          embeddedDb: startsEmbeddedDb(options.db, env.databaseUrl),
        }),
      );
    }
    const { exitCode, results, analysis } = await runKind(KINDS.gate, plan, {
      argv: ['gate', ...argv],
      ...shellOf(options),
    });
    const markdown = values.markdown;
    if (exitCode !== 0 || results.status !== 'complete') {
      const why = (results.extra?.['error'] as string | undefined) ?? 'interrupted';
      process.stderr.write(`jobbench gate: the gate did not complete (${why}): it cannot pass\n`);
      if (markdown) await writeFile(markdown, `## jobbench gate: aborted\n\nThe gate did not complete: ${why}\n`);
      return exitCode === 130 ? 130 : EXIT.badInput;
    }
    let comparison;
    try {
      comparison = compareGateRun(results, { thresholds: gate.thresholds, paired: { looks: plan.looks } });
    } catch (err) {
      if (!(err instanceof CompareInputError)) throw err;
      process.stderr.write(`jobbench gate: ${err.message}\n`);
      return EXIT.badInput;
    }
    for (const path of await writeOutputs(comparison, values, 'jobbench gate'))
      process.stderr.write(`written: ${path}\n`);
    if (options.json) process.stderr.write(renderCompareTerminal(comparison));
    const counted = analysis?.instructions;
    const instructionsOk = !counted || instructionsPassed(counted.counts, counted.thresholdPct); // named in the last line
    if (markdown && counted)
      await appendFile(markdown, `\n${instructionsMarkdown(counted.counts, counted.thresholdPct).join('\n')}\n`);
    return comparison.passed && instructionsOk ? EXIT.ok : EXIT.gateFailed;
  },
};
