import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { executeBenchmark, type BenchmarkOutcome, type BenchmarkPlan } from './benchmark.ts';
import { onInterrupt } from './lifecycle.ts';
import { createProgress, type Progress } from './progress.ts';
import { redactArgv } from './redact.ts';
import { writeResultsAtomic } from './results/io.ts';
import type { Cell, ResultKind, Results } from './results/types.ts';
import { SCHEMA_VERSION } from './results/types.ts';
import { renderTerminal } from './report/terminal.ts';
import { htmlReportPath, writeMarkdownReport } from './report/write.ts';
import { describeEnvironment } from './environment.ts';
import { newRunId } from './run-id.ts';
import { prepareBenchDatabase } from './session.ts';
import type { DbMode } from './db/provision.ts';

const RESULTS_ROOT = fileURLToPath(new URL('../results/', import.meta.url));

export interface RecordedRun {
  results: Results;
  dir: string;
  exitCode: number; // 0 complete, 2 stopped by an error, 130 interrupted
}

/**
 * The shell around every benchmark command: database, environment, the interleaved execution,
 * then results.json + report.md/html (also for an aborted run: what was measured is kept), and the
 * terminal table (or the JSON) on stdout. `analyze` adds the command's own analysis to `extra`.
 */
export async function runAndRecord(args: {
  kind: ResultKind;
  argv: string[];
  config: Record<string, unknown>;
  db: { databaseUrl?: string; mode: DbMode; jobs: number; seed: number };
  out?: string;
  json: boolean;
  quiet: boolean;
  plan?: (databaseUrl: string, runId: string) => Promise<Omit<BenchmarkPlan, 'databaseUrl'>>; // one of plan or execute
  /** Replaces the single executeBenchmark(plan) by the command's own sequence of them (adr: phases, capacity). */
  execute?: (databaseUrl: string, progress: Progress, signal: AbortSignal, runId: string) => Promise<BenchmarkOutcome>;
  analyze?: (cells: Cell[]) => Record<string, unknown>;
  extraTools?: Record<string, string>;
}): Promise<RecordedRun> {
  const progress: Progress = createProgress(process.stderr, args.quiet);
  const runId = newRunId();
  const startedAt = new Date().toISOString();
  const dir = args.out ?? join(RESULTS_ROOT, runId);
  const controller = new AbortController();
  const stopListening = onInterrupt(() => controller.abort());
  const database = await prepareBenchDatabase({ ...args.db, progress });
  try {
    const outcome = args.execute
      ? await args.execute(database.url, progress, controller.signal, runId)
      : await executeBenchmark(
          { ...(await args.plan!(database.url, runId)), databaseUrl: database.url },
          progress,
          controller.signal,
        );
    if (outcome.error) progress.log(`stopped: ${outcome.error}`);
    const results: Results = {
      schemaVersion: SCHEMA_VERSION,
      runId,
      status: outcome.aborted ? 'aborted' : 'complete',
      startedAt,
      finishedAt: new Date().toISOString(),
      command: ['jobbench', ...redactArgv(args.argv)],
      config: { ...args.config, database: database.kind },
      environment: describeEnvironment(database.postgresVersion, args.extraTools),
      cells: outcome.cells,
      kind: args.kind,
      ...(outcome.error ? { extra: { error: outcome.error } } : {}),
    };
    if (args.analyze && results.cells.length > 0) results.extra = { ...results.extra, ...args.analyze(results.cells) };
    const resultsPath = await writeResultsAtomic(dir, results);
    const reportPath = await writeMarkdownReport(results, dir);
    if (args.json) {
      process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    } else {
      process.stdout.write(renderTerminal(results) + '\n');
      process.stdout.write(
        `\nresults: ${relative(process.cwd(), resultsPath) || resultsPath}\nreport:  ${relative(process.cwd(), reportPath) || reportPath}\nhtml:    ${relative(process.cwd(), htmlReportPath(reportPath)) || htmlReportPath(reportPath)}\n`,
      );
    }
    const exitCode = controller.signal.aborted ? 130 : outcome.error ? 2 : 0;
    return { results, dir, exitCode };
  } finally {
    stopListening();
    await database.stop();
  }
}
