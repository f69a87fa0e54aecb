/**
 * The per-second timeline of a wrk window, from what its Lua response() callback exported (wrk-lua.ts):
 * counts per 100 ms bucket of the wall clock and status, placed against the window's start (the epoch
 * ms the start marker carried, read from the same clock). Pure.
 *
 * What wrk cannot place in time: its connect, read and write errors are counters in wrk's C code with no
 * Lua callback, so they are counted in the window's last second under `wrk-connect`, `wrk-read` and
 * `wrk-write` (as noAnswer is for autocannon) and do not move the error window, which only timed failing
 * responses set. A killed server makes wrk reconnect in a loop, each refused attempt one `wrk-connect`:
 * those are attempts, not requests. wrk's `errors.timeout` needs nothing: a response slower than
 * --timeout still arrives (wrk closes nothing) and is counted in its bucket with its status. So the
 * timeline's total is requests + connect + read + write errors = requests + errors − timeouts.
 */
import { createSecondCounter, type SecondCounts } from '../../faults/second-counts.ts';
import type { WrkExport } from './parse.ts';

const BUCKET_MS = 100;

export function wrkTimeline(exported: WrkExport, startEpochMs: number, durationS: number): SecondCounts {
  const counter = createSecondCounter();
  for (const [key, count] of exported.buckets ?? []) {
    const status = key % 1000;
    const bucketStartMs = ((key - status) / 1000) * BUCKET_MS;
    // The bucket's middle: a bucket across a second's boundary lands in the nearer second (≤ 50 ms off).
    counter.record(bucketStartMs + BUCKET_MS / 2 - startEpochMs, status, count);
  }
  const { connect, read, write } = exported.errors;
  const counts = counter.finish(durationS, 0, { 'wrk-connect': connect, 'wrk-read': read, 'wrk-write': write });
  // The exact first and last failing response (per thread, in ms) replace the buckets' middles.
  const failed = (exported.failedMs ?? []).filter(([first]) => first >= 0);
  if (failed.length === 0) return { ...counts, firstFailedMs: null, lastFailedMs: null };
  return {
    ...counts,
    firstFailedMs: Math.max(0, Math.min(...failed.map(([first]) => first)) - startEpochMs),
    lastFailedMs: Math.max(0, Math.max(...failed.map(([, last]) => last)) - startEpochMs),
  };
}
