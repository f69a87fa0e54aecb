import type { BenchmarkOutcome } from '../schedule/plan.ts';
import type { Checkpoint } from './types.ts';

/**
 * executeBenchmark's `checkpoint` option for a kind: each snapshot of the benchmark becomes the kind's
 * Checkpoint (`toCheckpoint` adds the plan, stage, state and earlier phases). Spread it into the plan.
 */
export function benchmarkCheckpoint<S>(
  ctx: { checkpoint?: (c: Checkpoint<S>) => Promise<void> },
  toCheckpoint: (snapshot: BenchmarkOutcome) => Checkpoint<S>,
): { checkpoint?: (snapshot: BenchmarkOutcome) => Promise<void> } {
  const { checkpoint } = ctx;
  return checkpoint ? { checkpoint: (snapshot) => checkpoint(toCheckpoint(snapshot)) } : {};
}
