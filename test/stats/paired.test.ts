import { describe, expect, it } from 'vitest';
import {
  MIN_PAIRS_FOR_INTERVAL,
  pairedLogRatio,
  pairLogRatios,
  summarizeLogRatios,
  type PairedRatio,
} from '../../bench/stats/paired.ts';
import { pairedTTest } from '../../bench/stats/paired-t.ts';

/**
 * R's `sleep` data (datasets package): extra sleep of 10 patients under two drugs. R's documented
 * `t.test(extra ~ group, data = sleep, paired = TRUE)` prints t = -4.0621, df = 9, p-value = 0.002833,
 * 95 percent confidence interval -2.4598858 -0.7001142, mean difference -1.58. As log ratios: head_i =
 * e^{group1_i}, base_i = e^{group2_i}, so d_i = group1_i − group2_i.
 */
const SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

const t = (r: PairedRatio) => {
  if (r.kind !== 't') throw new Error(`expected a t interval, got ${r.kind}`);
  return r;
};

describe('pairLogRatios', () => {
  it('gives ln(head/base) per round', () => {
    const { d, dropped } = pairLogRatios([100, 200, 50], [110, 200, 25]);
    expect(dropped).toBe(0);
    expect(d[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(d[1]).toBe(0);
    expect(d[2]).toBeCloseTo(-Math.log(2), 15);
  });

  it('drops and counts every pair with a side missing, not finite or ≤ 0', () => {
    const base = [100, null, 100, 0, 100, -5, 100, Infinity, undefined, 100];
    const head = [110, 100, Number.NaN, 100, 0, 100, 120, 100, 100, 90];
    const r = pairLogRatios(base, head);
    expect(r.droppedAt).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(r.dropped).toBe(7);
    expect(r.d).toHaveLength(3);
    expect(pairedLogRatio(base, head)).toMatchObject({ kind: 'range', n: 3, dropped: 7 });
  });

  it('refuses sides of different lengths (they would not be the same rounds)', () => {
    expect(() => pairLogRatios([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe('pairedLogRatio with 5 pairs or more: a t interval', () => {
  it("reproduces R's paired t.test on the sleep data", () => {
    const r = t(pairedLogRatio(SLEEP_2.map(Math.exp), SLEEP_1.map(Math.exp)));
    expect(r.n).toBe(10);
    expect(r.meanLog).toBeCloseTo(-1.58, 12);
    expect(Math.log(r.lo)).toBeCloseTo(-2.4598858, 7);
    expect(Math.log(r.hi)).toBeCloseTo(-0.7001142, 7);
    expect(r.ratio).toBeCloseTo(Math.exp(-1.58), 12);
    const test = pairedTTest(SLEEP_1.map((x, i) => x - SLEEP_2[i]!))!;
    expect(test.t).toBeCloseTo(-4.0621, 4);
    expect(test.df).toBe(9);
    expect(test.pValue).toBeCloseTo(0.002833, 6);
  });

  // By hand: d = ln 1.1 + 0.01·(−2, −1, 0, 1, 2): mean ln 1.1, sd 0.01·√(10/4), se = sd/√5 = 0.01/√2,
  // half-width t_{0.975,4}·se = 2.7764451·0.0070711 = 0.0196324, so 1.1·e^{±0.0196324} = 1.078615 … 1.121809.
  it('gives exp(mean ± t·sd/√n) on a hand-computed case', () => {
    const d = [-2, -1, 0, 1, 2].map((k) => Math.log(1.1) + 0.01 * k);
    const r = t(summarizeLogRatios({ d, dropped: 0 }));
    expect(r.ratio).toBeCloseTo(1.1, 14);
    expect(r.sdLog).toBeCloseTo(0.01 * Math.sqrt(2.5), 14);
    expect(r.confidence).toBe(0.95);
    expect(r.lo).toBeCloseTo(1.078615, 6);
    expect(r.hi).toBeCloseTo(1.121809, 6);
  });

  it('is a geometric mean: head ×2 in one round and ×½ in another average to 1', () => {
    const r = t(pairedLogRatio([10, 10, 10, 10, 10, 10], [20, 5, 10, 10, 10, 10]));
    expect(r.ratio).toBeCloseTo(1, 14);
    expect(r.lo * r.hi).toBeCloseTo(1, 12); // symmetric on the log scale
  });

  it('narrows with a lower confidence and widens with a higher one', () => {
    const d = [0.01, 0.03, -0.02, 0.05, 0.02, 0.0];
    const at = (c: number) => t(summarizeLogRatios({ d, dropped: 0 }, c));
    expect(at(0.9).hi - at(0.9).lo).toBeLessThan(at(0.95).hi - at(0.95).lo);
    expect(at(0.99).hi - at(0.99).lo).toBeGreaterThan(at(0.95).hi - at(0.95).lo);
    expect(() => at(1)).toThrow(RangeError);
  });
});

describe('pairedLogRatio below 5 pairs: a range, never a confidence interval (DESIGN rule 13)', () => {
  it.each([1, 2, 3, 4])('with %i pair(s) the kind is range and lo … hi is min … max of the ratios', (n) => {
    const ratios = [1.05, 0.97, 1.12, 1.01].slice(0, n);
    const r = pairedLogRatio(
      ratios.map(() => 1000),
      ratios.map((x) => 1000 * x),
    );
    expect(r.kind).toBe('range');
    expect(r).not.toHaveProperty('confidence');
    if (r.kind !== 'range') return;
    expect(r.lo).toBeCloseTo(Math.min(...ratios), 12);
    expect(r.hi).toBeCloseTo(Math.max(...ratios), 12);
    expect(r.sdLog === null).toBe(n === 1);
  });

  it(`switches to a t interval at exactly ${MIN_PAIRS_FOR_INTERVAL} pairs`, () => {
    const d = [0.01, 0.02, 0.0, 0.03, 0.01];
    expect(summarizeLogRatios({ d: d.slice(0, 4), dropped: 0 }).kind).toBe('range');
    expect(summarizeLogRatios({ d, dropped: 0 }).kind).toBe('t');
  });

  it('counts pairs after dropping: 6 rounds with 2 dropped is a range of 4', () => {
    const r = pairedLogRatio([100, 100, 100, 100, null, 100], [101, 99, 0, 102, 100, 98]);
    expect(r).toMatchObject({ kind: 'range', n: 4, dropped: 2 });
  });

  it('says none when no pair is usable', () => {
    expect(pairedLogRatio([null, 0], [1, 1])).toEqual({ kind: 'none', n: 0, dropped: 2 });
    expect(pairedLogRatio([], [])).toEqual({ kind: 'none', n: 0, dropped: 0 });
  });
});

describe('pairedTTest', () => {
  it.each([
    { name: 'fewer than 2 pairs', d: [0.1], expected: null },
    { name: 'all zero', d: [0, 0, 0], expected: { t: 0, df: 2, pValue: 1 } },
    { name: 'identical nonzero', d: [0.5, 0.5, 0.5, 0.5], expected: { t: Infinity, df: 3, pValue: 0 } },
  ])('$name', ({ d, expected }) => {
    expect(pairedTTest(d)).toEqual(expected);
  });

  // Fisher's Darwin Zea mays pairs (see sign-flip.test.ts): R's t.test gives t = 2.148, df = 14, p = 0.0497.
  it('gives R’s t test on the Darwin pairs', () => {
    const r = pairedTTest([49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48])!;
    expect(r.t).toBeCloseTo(2.148, 3);
    expect(r.pValue).toBeCloseTo(0.0497, 4);
  });
});
