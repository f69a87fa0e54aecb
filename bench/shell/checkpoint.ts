import { windowsDone } from '../schedule/outcome.ts';
import type { BenchmarkOutcome } from '../schedule/plan.ts';
import type { Checkpoint, Kind, PlanBase } from '../kinds/types.ts';
import type { Progress } from '../host/progress.ts';
import type { RunProgress } from '../results/types.ts';

/**
 * Partial results, the same for every kind (issue 12): after every completed window, level or phase
 * a kind hands the shell a Checkpoint, and the shell rewrites results.json atomically with status
 * "running", the cells so far and, when the kind passed its state, its section computed from them.
 * A run killed with kill -9 therefore loses at most the window in flight.
 */

/** results.progress of a partial run: what was done, of what the last checkpoint said was planned. */
export function progressOf(
  outcome: BenchmarkOutcome,
  last?: Pick<Checkpoint<unknown>, 'windowsPlanned' | 'stage'>,
): RunProgress {
  return {
    windowsDone: windowsDone(outcome),
    windowsPlanned: last?.windowsPlanned ?? null,
    ...(last?.stage ? { stage: last.stage } : {}),
  };
}

/**
 * The kind's analysis of a partial run, or undefined when there is none yet. analyze() is written for
 * a whole run; on a part of one it may find a phase missing and throw: the file is then written
 * without the section (the report says how many windows it holds) rather than not at all.
 */
export function partialAnalysis<P extends PlanBase, S, A>(
  kind: Kind<P, S, A>,
  plan: P,
  outcome: BenchmarkOutcome,
  state: S | undefined,
  progress: Progress,
): A | undefined {
  if (state === undefined || outcome.cells.length === 0) return undefined;
  try {
    return kind.analyze(plan, outcome.cells, state);
  } catch (err) {
    progress.log(`partial results: the ${plan.kind} section cannot be computed yet (${(err as Error).message})`);
    return undefined;
  }
}

export interface Checkpointer<S> {
  /** Hand it to execute() as ctx.checkpoint. Never throws: a failed write is logged and the run goes on. */
  checkpoint(checkpoint: Checkpoint<S>): Promise<void>;
  /** The last checkpoint written: its plan and stage describe an aborted run too. */
  last(): Checkpoint<S> | undefined;
}

/**
 * `write` records one partial outcome (the shell builds the results object and writes it atomically);
 * `section` turns the kind's state into its analysis (partialAnalysis). Checkpoints are written in
 * the order they come: the kinds await each one before measuring the next window.
 */
export function createCheckpointer<S>(
  write: (outcome: BenchmarkOutcome, progress: RunProgress, state: S | undefined) => Promise<void>,
  progress: Progress,
): Checkpointer<S> {
  let last: Checkpoint<S> | undefined;
  return {
    async checkpoint(c) {
      last = c;
      try {
        await write(c.outcome, progressOf(c.outcome, c), c.state);
      } catch (err) {
        progress.log(`could not write partial results: ${(err as Error).message}`);
      }
    },
    last: () => last,
  };
}
