import type { ResilienceFigures, TimelineSecond } from '../results/faults.ts';
import { NO_ANSWER, recoveredSecond } from './timeline.ts';

/**
 * The per-second timeline as a load generator records it: counts per second by result, never one
 * entry per request, so that memory stays bounded however long the window (timeline.ts computes the
 * same figures from per-request outcomes, for tests and small samples). Pure.
 */

export const isOk = (result: string) => /^[23]\d\d$/.test(result);

/** What a runner hands back: the seconds of the window and the first and last failure in ms. */
export interface SecondCounts {
  seconds: TimelineSecond[];
  firstFailedMs: number | null;
  lastFailedMs: number | null;
  noAnswer: number;
}

/** Counts outcomes by whole second of the window; `result` is an HTTP status or an error code. */
export function createSecondCounter() {
  const seconds: Map<number, Record<string, number>> = new Map();
  let firstFailedMs: number | null = null;
  let lastFailedMs: number | null = null;
  return {
    /** `count` outcomes at once: wrk exports counts per 100 ms bucket, not one entry per request. */
    record(atMs: number, result: number | string, count = 1): void {
      const key = String(result);
      const s = Math.max(0, Math.floor(atMs / 1000));
      const byResult = seconds.get(s) ?? {};
      byResult[key] = (byResult[key] ?? 0) + count;
      seconds.set(s, byResult);
      // min/max, not first/last call: k6's instances are read one file after another
      if (!isOk(key)) {
        firstFailedMs = firstFailedMs === null ? atMs : Math.min(firstFailedMs, atMs);
        lastFailedMs = lastFailedMs === null ? atMs : Math.max(lastFailedMs, atMs);
      }
    },
    /**
     * The timeline of at least `durationS` seconds. `noAnswer` requests, and `unplaced` failures that
     * the tool counts without a time (wrk's connect/read/write errors), are counted in the last second;
     * they do not move the first and last failure (the error window), which only timed outcomes set.
     */
    finish(durationS: number, noAnswer = 0, unplaced: Readonly<Record<string, number>> = {}): SecondCounts {
      const lastS = Math.max(Math.ceil(durationS) - 1, ...seconds.keys());
      for (const [key, n] of [[NO_ANSWER, noAnswer] as const, ...Object.entries(unplaced)]) {
        if (n <= 0) continue;
        const byResult = seconds.get(lastS) ?? {};
        byResult[key] = (byResult[key] ?? 0) + n;
        seconds.set(lastS, byResult);
      }
      const out: TimelineSecond[] = [];
      for (let startS = 0; startS <= lastS; startS++) {
        const byResult = seconds.get(startS) ?? {};
        let ok = 0;
        let failed = 0;
        for (const [key, n] of Object.entries(byResult)) {
          if (isOk(key)) ok += n;
          else failed += n;
        }
        out.push({ startS, total: ok + failed, ok, failed, byResult });
      }
      return { seconds: out, firstFailedMs, lastFailedMs, noAnswer };
    },
  };
}

/**
 * The resilience figures from a counted timeline. Time to recover is counted in whole seconds of the
 * window from the first second that starts at or after the fault cleared: exact when faults clear on
 * a whole second (5s, not 5.5s), else up to 1 s late. A second with no request is not a recovery, nor
 * one with under half the median second before the clearing (timeline.ts recoveredSecond).
 */
export function figuresFromCounts(
  counts: SecondCounts,
  faultClearedAtMs: number,
  durationS: number,
): ResilienceFigures {
  const requestsTotal = counts.seconds.reduce((n, s) => n + s.total, 0);
  const requestsFailed = counts.seconds.reduce((n, s) => n + s.failed, 0);
  const from = Math.ceil(faultClearedAtMs / 1000);
  // The whole seconds before the clearing, as timeline.ts counts them (the clearing's own second apart).
  const before = counts.seconds.filter((s) => s.startS + 1 <= faultClearedAtMs / 1000).map((s) => s.total);
  const recovered = counts.seconds.find(
    (s) => s.startS >= from && s.startS + 1 <= durationS && recoveredSecond(s.total, s.ok, before),
  );
  const { firstFailedMs, lastFailedMs } = counts;
  return {
    requestsTotal,
    requestsFailed,
    requestsNoAnswer: counts.noAnswer,
    firstFailedMs,
    lastFailedMs,
    errorWindowMs: firstFailedMs === null || lastFailedMs === null ? null : Math.round(lastFailedMs - firstFailedMs),
    timeToRecoverMs: recovered ? (recovered.startS - from) * 1000 : null,
  };
}
