import { describe, expect, it } from 'vitest';
import { createSecondCounter, figuresFromCounts } from '../../bench/faults/second-counts.ts';
import { resilienceFigures } from '../../bench/faults/timeline.ts';

/** A window of `durationS` with `perS` requests a second; `fails(atMs)` gives a failing result or undefined. */
function window(durationS: number, perS: number, fails: (atMs: number) => number | string | undefined) {
  const counter = createSecondCounter();
  const outcomes: { atMs: number; result: number | string }[] = [];
  for (let t = 0; t < durationS * 1000; t += 1000 / perS) {
    const result = fails(t) ?? 200;
    counter.record(t, result);
    outcomes.push({ atMs: t, result });
  }
  return { counts: counter.finish(durationS), outcomes };
}

describe('the per-second counter', () => {
  it('counts by second and result, and keeps the first and last failure', () => {
    const { counts } = window(6, 10, (t) => (t >= 2000 && t < 3500 ? 503 : undefined));
    expect(counts.seconds.map((s) => [s.ok, s.failed])).toEqual([
      [10, 0],
      [10, 0],
      [0, 10],
      [5, 5],
      [10, 0],
      [10, 0],
    ]);
    expect(counts.seconds[2]!.byResult).toEqual({ '503': 10 });
    expect([counts.firstFailedMs, counts.lastFailedMs]).toEqual([2000, 3400]);
  });

  it('gives the same figures as the per-request analysis when the fault clears on a whole second', () => {
    const { counts, outcomes } = window(8, 20, (t) => (t >= 2000 && t < 4200 ? 'ECONNREFUSED' : undefined));
    const fromCounts = figuresFromCounts(counts, 3000, 8);
    expect(fromCounts).toEqual(resilienceFigures(outcomes, { durationS: 8, faultClearedAtMs: 3000 }));
    expect(fromCounts).toMatchObject({ requestsFailed: 44, errorWindowMs: 2150, timeToRecoverMs: 2000 });
  });

  // wrk after server-kill@2s (a fresh clone, 2026-12-07): its refused connections are counted, not timed,
  // so the second of the kill held only the successes before it, then nothing: "recovered after 0 s"
  it('does not count a second with a fraction of the requests before the fault as recovered', () => {
    const counter = createSecondCounter();
    for (let t = 0; t < 2050; t += 1) counter.record(t, 200); // 1,000 a second, then the server dies at 2.05 s
    const counts = counter.finish(6, 0, { 'wrk-connect': 50_000 }); // counted in the last second
    expect(counts.seconds.map((s) => s.total)).toEqual([1000, 1000, 50, 0, 0, 50_000]);
    expect(figuresFromCounts(counts, 2000, 6).timeToRecoverMs).toBeNull();
    // the same second with the rate of the seconds before it is a recovery
    const back = createSecondCounter();
    for (let t = 0; t < 6000; t += 1) back.record(t, t >= 2000 && t < 2100 ? 503 : 200);
    expect(figuresFromCounts(back.finish(6), 2100, 6).timeToRecoverMs).toBe(0);
  });

  it('never recovers when no second after the fault reaches 95% success', () => {
    const { counts } = window(5, 10, (t) => (t >= 1000 ? 'ECONNREFUSED' : undefined));
    expect(figuresFromCounts(counts, 1000, 5).timeToRecoverMs).toBeNull();
  });

  it('counts requests that got no answer in the last second, as failures', () => {
    const counter = createSecondCounter();
    counter.record(100, 200);
    const counts = counter.finish(3, 2);
    expect(counts.seconds[2]!.byResult).toEqual({ 'no-answer': 2 });
    expect(figuresFromCounts(counts, 0, 3)).toMatchObject({ requestsNoAnswer: 2, requestsFailed: 2 });
  });
});
