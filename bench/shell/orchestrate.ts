import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { createCheckpointer, partialAnalysis, progressOf } from './checkpoint.ts';
import { describeEnvironment } from './environment.ts';
import type { BenchmarkOutcome } from '../schedule/plan.ts';
import type { Kind, PlanBase } from '../kinds/types.ts';
import { reportModelOf } from '../kinds/index.ts';
import { interruptedExitCode, onInterrupt } from '../host/lifecycle.ts';
import { createProgress } from '../host/progress.ts';
import { redactArgv } from '../results/redact.ts';
import { renderTerminal, summaryLine } from '../report/terminal.ts';
import { TERMINAL_WIDTH } from '../report/text-table.ts';
import { htmlReportPath, writeMarkdownReport } from '../report/write.ts';
import { writeResultsAtomic } from '../results/io.ts';
import type { Results, RunProgress } from '../results/types.ts';
import { SCHEMA_VERSION } from '../results/types.ts';
import { newRunId } from './run-id.ts';
import { prepareBenchDatabase } from './prepare-database.ts';

const RESULTS_ROOT = fileURLToPath(new URL('../../results/', import.meta.url));

/** How the command was called and where its output goes: the CLI's part, the same for every kind. */
export interface Shell {
  argv: string[]; // as typed after `jobbench` (redacted before it is recorded)
  out?: string; // results folder (default results/<run-id>/)
  json: boolean; // the results JSON on stdout instead of the tables
  wide?: boolean; // tables one line per row, however wide (default: they fit TERMINAL_WIDTH)
  quiet: boolean; // no progress on stderr
}

export interface RecordedRun<A> {
  results: Results;
  analysis: A | undefined;
  dir: string;
  exitCode: number; // 0 complete, 2 stopped by an error, 130 interrupted (SIGINT), 143 (SIGTERM)
}

/**
 * The shell around every benchmark kind: database, environment, the kind's execution, its analysis,
 * then results.json + report.md/html (also for an aborted run: what was measured is kept), and the
 * terminal table (or the JSON) on stdout.
 */
export async function runKind<P extends PlanBase, S, A>(
  kind: Kind<P, S, A>,
  plan: P,
  shell: Shell,
): Promise<RecordedRun<A>> {
  const progress = createProgress(process.stderr, shell.quiet);
  const runId = newRunId();
  const startedAt = new Date().toISOString();
  const dir = shell.out ?? join(RESULTS_ROOT, runId);
  const controller = new AbortController();
  const stopListening = onInterrupt(() => controller.abort());
  const database = await prepareBenchDatabase({ ...plan.db, progress });
  const recordOf = (
    outcome: BenchmarkOutcome,
    status: Results['status'],
    extra?: Record<string, unknown>,
    ceilings?: Results['ceilings'],
    progress?: RunProgress,
  ): Results => ({
    schemaVersion: SCHEMA_VERSION,
    runId,
    status,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: ['jobbench', ...redactArgv(shell.argv)],
    config: { ...plan.config, database: database.kind },
    environment: describeEnvironment(database.postgresVersion, plan.extraTools),
    cells: outcome.cells,
    kind: plan.kind,
    ...(extra && Object.keys(extra).length > 0 ? { extra } : {}),
    ...(outcome.failedWindows?.length ? { failedWindows: outcome.failedWindows } : {}),
    ...(ceilings ? { ceilings } : {}),
    ...(progress && status !== 'complete' ? { progress } : {}),
  });
  const sectionOf = (analysis: A | undefined) => (analysis !== undefined ? { [kind.section.key]: analysis } : {});
  // After every window (level, phase): a crash or a kill -9 loses at most the window in flight.
  const checkpointer = createCheckpointer<S>(async (outcome, runProgress, state) => {
    const extra = sectionOf(partialAnalysis(kind, plan, outcome, state, progress));
    await writeResultsAtomic(dir, recordOf(outcome, 'running', extra, undefined, runProgress));
  }, progress);
  try {
    const { outcome, state, ceilings } = await kind
      .execute(plan, {
        databaseUrl: database.url,
        progress,
        signal: controller.signal,
        runId,
        resultsDir: dir,
        database: { kind: database.kind, ...(database.power ? { power: database.power } : {}) },
        checkpoint: checkpointer.checkpoint,
      })
      .catch((err: unknown): Awaited<ReturnType<typeof kind.execute>> => {
        // Interrupted before the first window (e.g. while measuring the ceilings): an aborted run with
        // nothing measured, written and exited with the signal's code, not a crash.
        if (!controller.signal.aborted) throw err;
        return { outcome: { cells: [], aborted: true }, state: undefined as S };
      });
    if (outcome.error) progress.log(`stopped: ${outcome.error}`);
    // A stopped run's analysis works on part of a run, as a checkpoint's does: it may not be computable.
    const analysis = outcome.aborted
      ? partialAnalysis(kind, plan, outcome, state, progress)
      : outcome.cells.length > 0
        ? kind.analyze(plan, outcome.cells, state)
        : undefined;
    const extra = { ...(outcome.error ? { error: outcome.error } : {}), ...sectionOf(analysis) };
    const status = outcome.aborted ? 'aborted' : 'complete';
    const results = recordOf(outcome, status, extra, ceilings, progressOf(outcome, checkpointer.last()));
    const failed = outcome.failedWindows?.length ?? 0;
    if (failed > 0) progress.log(`${failed} window(s) failed; each is in results.json (failedWindows) with its reason`);
    const resultsPath = await writeResultsAtomic(dir, results);
    const model = reportModelOf(results);
    const reportPath = await writeMarkdownReport(results, dir, { model });
    const width = shell.wide ? Number.POSITIVE_INFINITY : TERMINAL_WIDTH;
    if (shell.json) {
      process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    } else {
      const shown = (p: string) => relative(process.cwd(), p) || p;
      process.stdout.write(renderTerminal(results, reportModelOf(results, width), width) + '\n');
      process.stdout.write(
        `\nresults: ${shown(resultsPath)}\nreport:  ${shown(reportPath)}\nhtml:    ${shown(htmlReportPath(reportPath))}\n`,
      );
      // The verdict or a one-line summary is the last line (hyperfine's closing line is the model).
      process.stdout.write(`\n${summaryLine(model)}\n`);
    }
    // Failed windows do not fail the run (DESIGN.md rule 10), unless not one window could be measured.
    const nothingMeasured = failed > 0 && outcome.cells.length === 0;
    const exitCode = controller.signal.aborted ? interruptedExitCode() : outcome.error || nothingMeasured ? 2 : 0;
    return { results, analysis, dir, exitCode };
  } finally {
    stopListening();
    await database.stop();
  }
}
