import { appendFile, writeFile } from 'node:fs/promises';
import { compareGateRun, CompareInputError } from '../../bench/compare/compare.ts';
import { renderCompareTerminal } from '../../bench/compare/render-terminal.ts';
import { instructionsMarkdown } from '../../bench/instructions/render.ts';
import { instructionsPassed, regressedInstructions } from '../../bench/instructions/verdict.ts';
import { KINDS } from '../../bench/kinds/index.ts';
import { planGate } from '../../bench/kinds/gate/plan.ts';
import { ownHead, resolveRef, type Revision } from '../../bench/kinds/gate/revision.ts';
import { runKind } from '../../bench/shell/orchestrate.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { PROFILES } from '../../scenarios/profiles.ts';
import { readConfig } from '../../src/config.ts';
import { parse } from '../args.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, shellOf } from '../bench-options.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import { GATE_DEFAULT_ADAPTERS, GATE_FLAGS, readGateOnlyOptions } from '../gate-options.ts';
import { writeOutputs } from './compare.ts';

const P = PROFILES.gate;

const HELP = `Usage: jobbench gate --base <git-ref> [--head <git-ref>] [options]

The performance regression gate: measures the base revision and the head (default: the working tree)
in ONE run on one machine, interleaved and order-rotated per round, then compares them cell by cell
(the engine of \`jobbench compare\`). The base (and a --head ref) is checked out into a temporary git
worktree under .jobbench/gate/ (node_modules reused when package-lock.json is identical, else npm ci),
removed on exit. Each side gets its own database on the one PostgreSQL server, migrated by its own
checkout's migrations and seeded alike. Targets = adapters × {base, head}.

Duration: the gate profile is ${P.rounds} rounds × 2 sides × (${P.scenarios.join(', ')}) × (${P.warmupS} s warm-up + ${P.durationS} s), plus
a server start per visit: about 2.5 minutes per adapter on a 2-core machine, plus checkout and seeding.

Gate options:
  --base REF             the revision to compare against (required), e.g. origin/main, HEAD~1, a sha
  --head REF             the revision under test (default: the working tree, uncommitted changes included)
  --base-env KEY=VALUE   extra environment of the base's servers only (repeatable)
  --head-env KEY=VALUE   extra environment of the head's servers only (repeatable), e.g. the fault
                         injection settings JOBBENCH_INJECT_CPU_US=200, JOBBENCH_INJECT_QUERIES=1 or
                         JOBBENCH_INJECT_WORK=2000
  --base-pool-max N      pool max of the base's servers only; --head-pool-max N likewise for the head
                         (the cells keep --pool-max so that both sides still match)
  --markdown FILE        write the Markdown summary (for $GITHUB_STEP_SUMMARY or a PR comment)
  --junit FILE           write JUnit XML: one testcase per cell × metric, a failure per regression
  --bmf FILE             write Bencher Metric Format JSON
  --github-benchmark DIR write github-action-benchmark's bigger/smaller-is-better JSON files
  --html FILE            write the HTML page: base vs head bars, latency percentile spectrum
  --threshold METRIC=PCT practical threshold in % (rps, p50, p99, cpu, errors, rss, queries), repeatable
  --config FILE          thresholds config (default ./jobbench.config.json, else package.json#jobbench)

Instructions per request (callgrind; exact where time is noisy, docs/readme/gate.md):
  --instructions on|off  count each side's instructions per request under valgrind (default on; "n/a"
                         with the install line when valgrind is missing, and the rest of the gate runs)
  --instructions-threshold PCT  a change of the median beyond ± PCT % is a verdict (default 0.5)
  --instructions-starts N       server starts per side, base and head side by side (default 2)
  --instructions-requests N     counted requests per scenario and start, after 4000 warm-up (default 200)

Benchmark options (default profile: gate; default adapters: ${GATE_DEFAULT_ADAPTERS.join(', ')}):
${BENCH_FLAGS_HELP}

Examples:
  jobbench gate --base HEAD~1                                # the working tree vs the last commit
  jobbench gate --base origin/main --out perf-gate --markdown perf-gate/summary.md \\
    --junit perf-gate/junit.xml --html perf-gate/compare.html
  jobbench gate --base HEAD --head-env JOBBENCH_INJECT_CPU_US=100   # calibration: must fail
  jobbench gate --base HEAD --head-env JOBBENCH_INJECT_WORK=2000    # +~1.6% instructions/request on get-job: must fail
  jobbench gate --base main --head my-branch --adapters pg-pool,postgres-js --rounds 8

Exit codes: 0 no regression; 1 at least one cell × metric, or one scenario's instructions/request,
regressed (named on stdout); 2 bad input (a
ref that does not exist, bad flags or thresholds) or a gate that could not run or stopped early (a gate
never passes on bad input or an aborted run); 130 interrupted. Details: docs/readme/gate.md.`;

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
    const options = await readBenchOptions(
      { ...values, adapters: values.adapters ?? GATE_DEFAULT_ADAPTERS.join(',') },
      { profile: 'gate', tool: 'autocannon' },
    );
    if (options.tool !== 'autocannon') throw new UsageError('jobbench gate measures with --tool autocannon only');
    const env = readConfig(process.env); // validates DATABASE_URL
    const [base, head] = await resolveSides(gate.baseRef, gate.headRef);
    const runner = await RUNNERS[options.tool]().catch((err: Error) => {
      throw new UsageError(err.message);
    });
    const side = (s: 'base' | 'head', revision: Revision) => ({
      revision,
      env: gate.env[s],
      ...(gate.poolMax[s] !== undefined ? { poolMax: gate.poolMax[s] } : {}),
    });
    const plan = planGate({
      ...options,
      databaseUrl: env.databaseUrl,
      base: side('base', base),
      head: side('head', head),
      thresholds: gate.thresholds,
      runner,
      instructions: gate.instructions,
    });
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
      comparison = compareGateRun(results, { thresholds: gate.thresholds });
    } catch (err) {
      if (!(err instanceof CompareInputError)) throw err;
      process.stderr.write(`jobbench gate: ${err.message}\n`);
      return EXIT.badInput;
    }
    for (const path of await writeOutputs(comparison, values)) process.stderr.write(`written: ${path}\n`);
    if (options.json) process.stderr.write(renderCompareTerminal(comparison));
    const counted = analysis?.instructions;
    const instructionsOk = !counted || instructionsPassed(counted.counts, counted.thresholdPct);
    if (!instructionsOk) process.stdout.write(`${regressedInstructions(counted!.counts, counted!.thresholdPct)}\n`);
    if (markdown && counted)
      await appendFile(markdown, `\n${instructionsMarkdown(counted.counts, counted.thresholdPct).join('\n')}\n`);
    return comparison.passed && instructionsOk ? EXIT.ok : EXIT.gateFailed;
  },
};
