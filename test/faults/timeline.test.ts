import { describe, expect, it } from 'vitest';
import {
  analyzeResilience,
  buildTimeline,
  NO_ANSWER,
  resilienceFigures,
  type RequestOutcome,
} from '../../bench/faults/timeline.ts';

/** One outcome every `stepMs` in [fromMs, toMs). */
function every(fromMs: number, toMs: number, stepMs: number, result: number | string): RequestOutcome[] {
  const out: RequestOutcome[] = [];
  for (let atMs = fromMs; atMs < toMs; atMs += stepMs) out.push({ atMs, result });
  return out;
}

describe('buildTimeline', () => {
  it('counts responses per second by status, error code and no-answer', () => {
    const outcomes = [
      ...every(0, 1000, 100, 200),
      { atMs: 1500, result: 503 },
      { atMs: 1600, result: 'ECONNRESET' },
      { atMs: 2999, result: NO_ANSWER },
    ];
    expect(buildTimeline(outcomes, { durationS: 3 })).toEqual([
      { startS: 0, total: 10, ok: 10, failed: 0, byResult: { '200': 10 } },
      { startS: 1, total: 2, ok: 0, failed: 2, byResult: { '503': 1, ECONNRESET: 1 } },
      { startS: 2, total: 1, ok: 0, failed: 1, byResult: { 'no-answer': 1 } },
    ]);
  });

  it('keeps empty seconds, and extends for an answer that came after the window', () => {
    const t = buildTimeline([{ atMs: 4200, result: 200 }], { durationS: 2 });
    expect(t.map((s) => [s.startS, s.total])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 1],
    ]);
  });

  it('takes a scenario-specific success rule', () => {
    const [s] = buildTimeline([{ atMs: 0, result: 404 }], {
      durationS: 1,
      isSuccess: (status) => status === 404 || status === 200,
    });
    expect(s).toMatchObject({ ok: 1, failed: 0 });
  });

  it('refuses offsets before the measured window', () => {
    expect(() => buildTimeline([{ atMs: -1, result: 200 }], { durationS: 1 })).toThrow(RangeError);
  });
});

describe('resilienceFigures', () => {
  const ok = (from: number, to: number) => every(from, to, 50, 200); // 20 requests a second
  it.each<[string, RequestOutcome[], number, Partial<ReturnType<typeof resilienceFigures>>]>([
    [
      'no failure: recovered in the first second after the clear',
      ok(0, 10_000),
      5000,
      {
        requestsTotal: 200,
        requestsFailed: 0,
        requestsNoAnswer: 0,
        firstFailedMs: null,
        lastFailedMs: null,
        errorWindowMs: null,
        timeToRecoverMs: 0,
      },
    ],
    [
      'a 3 s outage of 503s, cleared at 6 s, back at once',
      [...ok(0, 3000), ...every(3000, 6000, 50, 503), ...ok(6000, 10_000)],
      6000,
      { requestsFailed: 60, firstFailedMs: 3000, lastFailedMs: 5950, errorWindowMs: 2950, timeToRecoverMs: 0 },
    ],
    [
      'failures linger 1.5 s after the clear: recovered from the second whole second',
      [...ok(0, 3000), ...every(3000, 7500, 50, 'ECONNREFUSED'), ...ok(7500, 10_000)],
      6000,
      { requestsFailed: 90, firstFailedMs: 3000, lastFailedMs: 7450, timeToRecoverMs: 2000 },
    ],
    [
      'one failure in twenty is still 95% success',
      [...ok(0, 5000), ...every(5000, 10_000, 50, 200).map((o, i) => (i % 20 === 0 ? { ...o, result: 500 } : o))],
      5000,
      { requestsFailed: 5, timeToRecoverMs: 0 },
    ],
    [
      'two failures in twenty are not',
      [...ok(0, 5000), ...every(5000, 10_000, 50, 200).map((o, i) => (i % 10 === 0 ? { ...o, result: 500 } : o))],
      5000,
      { requestsFailed: 10, timeToRecoverMs: null },
    ],
    [
      'a dead server answers nothing: silent seconds are not a recovery',
      [...ok(0, 5000), { atMs: 5000, result: NO_ANSWER }, ...ok(8000, 10_000)],
      5000,
      { requestsFailed: 1, requestsNoAnswer: 1, errorWindowMs: 0, timeToRecoverMs: 3000 },
    ],
    [
      'never recovered before the window ended',
      [...ok(0, 3000), ...every(3000, 10_000, 50, 503)],
      6000,
      { timeToRecoverMs: null },
    ],
    ['a clear too close to the end leaves no whole second to judge', ok(0, 10_000), 9500, { timeToRecoverMs: null }],
  ])('%s', (_, outcomes, faultClearedAtMs, expected) => {
    expect(resilienceFigures(outcomes, { durationS: 10, faultClearedAtMs })).toMatchObject(expected);
  });

  it('handles a full window of outcomes without running out of stack', () => {
    const outcomes = every(0, 10_000, 0.02, 503); // 500,000 requests
    expect(resilienceFigures(outcomes, { durationS: 10, faultClearedAtMs: 5000 })).toMatchObject({
      requestsFailed: 500_000,
      firstFailedMs: 0,
    });
  });
});

describe('analyzeResilience', () => {
  it('returns the timeline and the figures of one cell', () => {
    const r = analyzeResilience(
      [
        { atMs: 100, result: 200 },
        { atMs: 1100, result: 503 },
      ],
      { durationS: 2, faultClearedAtMs: 0 },
    );
    expect(r.timeline).toHaveLength(2);
    expect(r.figures).toMatchObject({ requestsTotal: 2, requestsFailed: 1, timeToRecoverMs: 0 });
  });
});
