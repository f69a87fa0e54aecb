/**
 * Resilience figures from per-request outcomes: a per-second timeline of what the load generator got
 * back, and the figures a reader compares between adapters (error window, time to recover, requests
 * failed, requests that got no answer at all). Pure: data in, data out.
 */
import type { ResilienceFigures, TimelineSecond } from '../results/faults.ts';
import { median } from '../stats/bootstrap.ts';

export const NO_ANSWER = 'no-answer';
/** A second counts as recovered when at least this share of its requests succeeded (issue 12). */
export const RECOVERED_SUCCESS_SHARE = 0.95;
/**
 * …and when it carried at least this share of the median second before the fault cleared: a second that
 * holds only the few requests answered before a server died is not a recovery. It matters where the
 * tool cannot place its failures in time (wrk's refused connections are counted, not timed: after
 * server-kill the second of the kill held only successes, then nothing) and reads the same elsewhere.
 */
export const RECOVERED_REQUEST_SHARE = 0.5;

/** Is a second of `total` requests, `ok` of them successful, a recovered one? `before`: the totals of the whole seconds before the fault cleared. */
export function recoveredSecond(total: number, ok: number, before: readonly number[]): boolean {
  if (total <= 0 || ok / total < RECOVERED_SUCCESS_SHARE) return false;
  return before.length === 0 || total >= RECOVERED_REQUEST_SHARE * median(before);
}

export interface RequestOutcome {
  /** When the outcome was observed, ms from the start of the measured window. */
  atMs: number;
  /** An HTTP status; an error code when no response came (ECONNRESET, ETIMEDOUT, …); or NO_ANSWER. */
  result: number | string;
}

export interface TimelineOptions {
  durationS: number; // the measured window: the timeline has at least this many seconds
  /** Default: 2xx and 3xx succeed. A scenario that expects 404s can say otherwise. */
  isSuccess?: (status: number) => boolean;
}

const defaultIsSuccess = (status: number) => status >= 200 && status < 400;

function succeeded(outcome: RequestOutcome, isSuccess: (status: number) => boolean): boolean {
  return typeof outcome.result === 'number' && isSuccess(outcome.result);
}

function checked(outcomes: readonly RequestOutcome[]): readonly RequestOutcome[] {
  for (const o of outcomes) {
    if (!Number.isFinite(o.atMs) || o.atMs < 0)
      throw new RangeError(`request outcome at ${o.atMs} ms: offsets start at 0 (the measured window)`);
  }
  return outcomes;
}

/**
 * One entry per second of the window; an outcome observed after the window's end (a late answer)
 * extends the timeline rather than disappearing.
 */
export function buildTimeline(outcomes: readonly RequestOutcome[], options: TimelineOptions): TimelineSecond[] {
  const isSuccess = options.isSuccess ?? defaultIsSuccess;
  const lastS = checked(outcomes).reduce(
    (max, o) => Math.max(max, Math.floor(o.atMs / 1000)),
    Math.ceil(options.durationS) - 1,
  );
  const seconds = Array.from({ length: lastS + 1 }, (_, startS) => ({
    startS,
    total: 0,
    ok: 0,
    failed: 0,
    byResult: {} as Record<string, number>,
  }));
  for (const o of outcomes) {
    const s = seconds[Math.floor(o.atMs / 1000)]!;
    s.total++;
    if (succeeded(o, isSuccess)) s.ok++;
    else s.failed++;
    const key = String(o.result);
    s.byResult[key] = (s.byResult[key] ?? 0) + 1;
  }
  return seconds;
}

/** The figures of one cell; `faultClearedAtMs` is when the (last) fault cleared, from the schedule. */
export function resilienceFigures(
  outcomes: readonly RequestOutcome[],
  options: TimelineOptions & { faultClearedAtMs: number },
): ResilienceFigures {
  const isSuccess = options.isSuccess ?? defaultIsSuccess;
  const failed = checked(outcomes).filter((o) => !succeeded(o, isSuccess));
  // reduce, not Math.min(...): a window holds far more requests than a call may take arguments
  const firstFailedMs = failed.length > 0 ? failed.reduce((min, o) => Math.min(min, o.atMs), Infinity) : null;
  const lastFailedMs = failed.length > 0 ? failed.reduce((max, o) => Math.max(max, o.atMs), -Infinity) : null;
  return {
    requestsTotal: outcomes.length,
    requestsFailed: failed.length,
    requestsNoAnswer: failed.filter((o) => o.result === NO_ANSWER).length,
    firstFailedMs,
    lastFailedMs,
    errorWindowMs: firstFailedMs === null || lastFailedMs === null ? null : lastFailedMs - firstFailedMs,
    timeToRecoverMs: timeToRecoverMs(outcomes, isSuccess, options.faultClearedAtMs, options.durationS * 1000),
  };
}

function timeToRecoverMs(
  outcomes: readonly RequestOutcome[],
  isSuccess: (status: number) => boolean,
  clearedAtMs: number,
  windowEndMs: number,
): number | null {
  // Whole seconds [clear + k s, clear + (k+1) s) that end inside the window; a second with no request
  // at all is not a recovery (a dead server answers nothing), nor one with a fraction of the seconds
  // before the clearing (recoveredSecond).
  const seconds = Math.floor((windowEndMs - clearedAtMs) / 1000);
  const beforeS = Math.floor(clearedAtMs / 1000);
  const before = new Array<number>(Math.max(beforeS, 0)).fill(0);
  const total = new Array<number>(Math.max(seconds, 0)).fill(0);
  const ok = new Array<number>(Math.max(seconds, 0)).fill(0);
  for (const o of outcomes) {
    if (o.atMs < beforeS * 1000) before[Math.floor(o.atMs / 1000)]!++;
    if (o.atMs < clearedAtMs) continue;
    const k = Math.floor((o.atMs - clearedAtMs) / 1000);
    if (k >= seconds) continue;
    total[k]!++;
    if (succeeded(o, isSuccess)) ok[k]!++;
  }
  const k = total.findIndex((n, i) => recoveredSecond(n, ok[i]!, before));
  return k < 0 ? null : k * 1000;
}

/** Timeline and figures together, as a results file stores them per cell. */
export function analyzeResilience(
  outcomes: readonly RequestOutcome[],
  options: TimelineOptions & { faultClearedAtMs: number },
): { timeline: TimelineSecond[]; figures: ResilienceFigures } {
  return { timeline: buildTimeline(outcomes, options), figures: resilienceFigures(outcomes, options) };
}
