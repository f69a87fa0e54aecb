/**
 * The k6 load runner (tool "k6"): runs the real k6 binary on scenarios/k6/jobbench.ts, in one process
 * or split across N processes with execution segments, and measures from k6's per-request output.
 *
 * Exit codes of k6: 0 ok; 99 a threshold (SLO) was breached: the window is measured and reported with
 * thresholdsPassed=false; anything else (bad script env 107, API not ready 108, crash) is an error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../../../shared/harness-errors.ts';
import { k6Args, k6ProcessEnv, type K6Window } from './args.ts';
import { findK6, REPO_DIR } from './bin.ts';
import { readK6Csv } from './csv.ts';
import { mergeInstances, type K6InstanceMeasurement } from './merge.ts';
import { runK6Process, type K6ProcessResult } from './process.ts';
import { readK6Summary } from './summary.ts';
import type { LoadRunner, RunHooks, WindowMeasurement } from '../types.ts';
import { createSecondCounter } from '../../faults/second-counts.ts';

export type { K6Window, K6WindowExtras } from './args.ts';
export type { K6InstanceMeasurement } from './merge.ts';

export const K6_SCRIPT = join(REPO_DIR, 'scenarios', 'k6', 'jobbench.ts');
const K6_EXIT_THRESHOLDS_FAILED = 99;

export interface K6RunnerOptions {
  env?: NodeJS.ProcessEnv; // where K6_BIN and PATH are read; default process.env
  bin?: string; // skips the search
  script?: string; // default scenarios/k6/jobbench.ts
  keepOutputDir?: string; // keep each window's CSV and summaries under this folder (debugging)
}

export interface K6WindowResult {
  measurement: WindowMeasurement; // all instances merged
  instances: K6InstanceMeasurement[];
}

export interface K6Runner extends LoadRunner {
  tool: 'k6';
  run(window: K6Window, signal?: AbortSignal, hooks?: RunHooks): Promise<WindowMeasurement>;
  /** Like run(), with each instance's own measurement as well. */
  runDetailed(window: K6Window, signal?: AbortSignal, hooks?: RunHooks): Promise<K6WindowResult>;
}

/** k6 failed or misbehaved (JOBBENCH_CLI_ERR_K6): the CLI prints it and exits 2. */
export class K6RunError extends HarnessError {
  constructor(message: string) {
    super('JOBBENCH_CLI_ERR_K6', message);
    this.name = 'K6RunError';
  }
}

function failure(index: number, result: K6ProcessResult): K6RunError {
  const how = result.exitCode !== null ? `exited with code ${result.exitCode}` : `was killed by ${result.signal}`;
  const tail = [...result.stderrTail, ...result.stdoutTail]
    .filter((l) => l.trim() !== '')
    .slice(-15)
    .join('\n');
  return new K6RunError(`k6 (instance ${index}) ${how}${tail ? `:\n${tail}` : ''}`);
}

export function createK6Runner(options: K6RunnerOptions = {}): K6Runner {
  const env = options.env ?? process.env;
  let bin = options.bin;
  const script = options.script ?? K6_SCRIPT;

  async function runDetailed(window: K6Window, signal?: AbortSignal, hooks?: RunHooks): Promise<K6WindowResult> {
    bin ??= findK6(env);
    const count = window.k6?.instances ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new K6RunError(`k6.instances must be a whole number >= 1, got ${count}`);
    const dir = options.keepOutputDir
      ? await mkdtemp(join(options.keepOutputDir, `${window.scenario}-`))
      : await mkdtemp(join(tmpdir(), 'jobbench-k6-'));
    try {
      const plans = Array.from({ length: count }, (_, index) => ({
        index,
        count,
        scriptPath: script,
        csvPath: join(dir, `samples-${index}.csv`),
        summaryPath: join(dir, `summary-${index}.json`),
      }));
      const processEnv = k6ProcessEnv(window, env);
      // The window (its fault offsets, its timeline's second 0) starts when the first instance logs
      // the end of its setup(); the instances start side by side, within a few ms of each other.
      let startEpochMs: number | undefined;
      const onStart = () => {
        if (startEpochMs !== undefined) return;
        startEpochMs = Date.now(); // k6 stamps its samples with the same wall clock
        hooks?.onStart?.();
      };
      const results = await Promise.all(
        plans.map((plan) => runK6Process(bin!, k6Args(window, plan), processEnv, signal, onStart)),
      );
      signal?.throwIfAborted();
      results.forEach((r, i) => {
        if (r.exitCode !== 0 && r.exitCode !== K6_EXIT_THRESHOLDS_FAILED) throw failure(i, r);
        if (r.window === undefined)
          throw new K6RunError(`k6 (instance ${i}) never logged its window markers: is ${script} the jobbench script?`);
      });
      // Parsed one after another once k6 has exited, so that parsing never competes with the load.
      const instances: K6InstanceMeasurement[] = [];
      // Requests of every instance, setup()'s excluded (no scenario tag), counted per second of the window.
      const timeline = { counter: createSecondCounter(), startEpochMs: startEpochMs! };
      for (const [i, r] of results.entries()) {
        const summary = await readK6Summary(plans[i]!.summaryPath);
        instances.push({
          index: i,
          exitCode: r.exitCode!,
          thresholdsPassed: r.exitCode === 0,
          thresholdFailures: summary.thresholdFailures,
          counts: await readK6Csv(plans[i]!.csvPath, timeline),
          durationS: r.window!.durationS,
          cpuUs: r.window!.cpuUs,
        });
      }
      // k6 waits for every request in flight (gracefulStop) and reports each as answered or failed:
      // nothing goes without an answer.
      const seconds = timeline.counter.finish(window.durationS);
      return { measurement: mergeInstances(window, instances, seconds), instances };
    } finally {
      if (!options.keepOutputDir) await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    tool: 'k6',
    runDetailed,
    async run(window, signal, hooks) {
      return (await runDetailed(window, signal, hooks)).measurement;
    },
  };
}

/** The runner `jobbench run --tool k6` uses: k6 found through K6_BIN, PATH, then .bin/k6. */
export const k6Runner: K6Runner = createK6Runner();
