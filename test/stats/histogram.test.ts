import { describe, expect, it } from 'vitest';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  LATENCY_RANGE_US,
  mergeEncoded,
  percentilesUs,
  recordLatencyUs,
} from '../../bench/stats/histogram.ts';

function histogramOf(values: number[]) {
  const h = createLatencyHistogram();
  for (const v of values) recordLatencyUs(h, v);
  return h;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('percentilesUs', () => {
  // Below 2,048 µs a 3-significant-digit histogram keeps every microsecond, so these are exact.
  it.each([
    {
      name: '1..1000 µs',
      values: range(1, 1000),
      expected: { p50: 500, p90: 900, p95: 950, p99: 990, p999: 999, max: 1000 },
    },
    {
      name: 'a single value',
      values: [412],
      expected: { p50: 412, p90: 412, p95: 412, p99: 412, p999: 412, max: 412 },
    },
    {
      name: '99 fast and one slow',
      values: [...Array<number>(99).fill(300), 1800],
      expected: { p50: 300, p90: 300, p95: 300, p99: 300, p999: 1800, max: 1800 },
    },
  ])('reads exact percentiles of $name', ({ values, expected }) => {
    expect(percentilesUs(histogramOf(values))).toEqual(expected);
  });

  it('keeps large values within 0.1% (3 significant digits)', () => {
    const p = percentilesUs(histogramOf(range(1, 100_000)));
    for (const [key, exact] of [
      ['p50', 50_000],
      ['p90', 90_000],
      ['p99', 99_000],
      ['max', 100_000],
    ] as const) {
      expect(Math.abs(p[key] - exact) / exact).toBeLessThanOrEqual(0.001);
    }
  });

  it('gives zeros for an empty histogram', () => {
    expect(percentilesUs(createLatencyHistogram())).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
  });

  it('orders p50 <= p90 <= p95 <= p99 <= p999 <= max', () => {
    const p = percentilesUs(histogramOf(range(1, 5000).map((v) => (v * 7919) % 50_000)));
    expect([p.p50, p.p90, p.p95, p.p99, p.p999, p.max]).toEqual(
      [p.p50, p.p90, p.p95, p.p99, p.p999, p.max].sort((a, b) => a - b),
    );
  });
});

describe('recordLatencyUs', () => {
  it.each([
    { input: 0.2, recorded: 1, why: 'sub-microsecond counts as 1 µs' },
    { input: 412.4, recorded: 412, why: 'rounds to the nearest µs' },
    { input: 120_000_000, recorded: LATENCY_RANGE_US.highest, why: 'past 60 s is clamped, not dropped' },
  ])('$why', ({ input, recorded }) => {
    const h = histogramOf([input]);
    expect(h.totalCount).toBe(1);
    expect(Math.abs(h.maxValue - recorded) / recorded).toBeLessThanOrEqual(0.001);
  });

  it('ignores values that are not finite', () => {
    expect(histogramOf([Number.NaN, Number.POSITIVE_INFINITY]).totalCount).toBe(0);
  });
});

describe('encoding', () => {
  it('round-trips counts and percentiles', () => {
    const h = histogramOf(range(1, 3000));
    const decoded = decodeHistogram(encodeHistogram(h));
    expect(decoded.totalCount).toBe(3000);
    expect(percentilesUs(decoded)).toEqual(percentilesUs(h));
  });

  it('decodes an empty string as an empty histogram', () => {
    expect(decodeHistogram('').totalCount).toBe(0);
  });

  it('merges encoded histograms into the histogram of all their values', () => {
    const merged = mergeEncoded([
      encodeHistogram(histogramOf(range(1, 500))),
      '',
      encodeHistogram(histogramOf(range(501, 1000))),
    ]);
    expect(merged.totalCount).toBe(1000);
    expect(percentilesUs(merged)).toEqual(percentilesUs(histogramOf(range(1, 1000))));
  });
});
