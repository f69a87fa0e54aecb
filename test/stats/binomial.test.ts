import { describe, expect, it } from 'vitest';
import { binomialUpperBound, clopperPearson } from '../../bench/stats/binomial.ts';

describe('Clopper–Pearson bounds on a share', () => {
  it('0 of n: the one-sided upper bound is 1 − 0.05^(1/n) (the "rule of three" ≈ 3/n)', () => {
    for (const n of [10, 30, 100]) expect(binomialUpperBound(0, n)).toBeCloseTo(1 - 0.05 ** (1 / n), 6);
    expect(binomialUpperBound(0, 30)).toBeLessThan(0.1); // the goal: 0 of 30 bounds it below 10%
  });
  it('n of n: the two-sided lower bound is 0.025^(1/n)', () => {
    expect(clopperPearson(6, 6)[0]).toBeCloseTo(0.025 ** (1 / 6), 6);
    expect(clopperPearson(6, 6)[1]).toBe(1);
  });
  it('matches published values: 5 of 20 → [0.0866, 0.4910] (scipy.stats.binomtest(5, 20).proportion_ci())', () => {
    const [lo, hi] = clopperPearson(5, 20);
    expect(lo).toBeCloseTo(0.0866, 4);
    expect(hi).toBeCloseTo(0.491, 3);
  });
  it('refuses impossible counts', () => {
    expect(() => clopperPearson(3, 2)).toThrow(RangeError);
    expect(() => binomialUpperBound(0, 0)).toThrow(RangeError);
  });
});
