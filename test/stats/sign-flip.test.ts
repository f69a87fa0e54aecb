import { describe, expect, it } from 'vitest';
import { minPairsForSignFlip, SIGN_FLIP, signFlipMinP, signFlipTest } from '../../bench/stats/sign-flip.ts';

/**
 * Fisher, The Design of Experiments (1935), §21: Darwin's 15 pairs of Zea mays, height differences
 * crossed − self-fertilised in eighths of an inch. "In 1,726 cases out of 32,768 the total deviation
 * will have a numerical value as great as or greater than that observed": two-sided p = 0.052673.
 */
const DARWIN = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48];

describe('signFlipTest: exact p on hand-enumerable cases', () => {
  // Each p below is counted by hand over all 2^n sign patterns of |d|: p = #{|Σ s·|d|| ≥ |Σ d|} / 2^n.
  it.each([
    // ±1 ±2 ±3 = 6 4 2 0 0 −2 −4 −6: |Σ| ≥ 6 twice of 8
    { d: [1, 2, 3], p: 2 / 8, why: 'all positive: only the observed pattern and its mirror' },
    // observed 3; ±3 ±1 ±1 = 5 3 3 1 −1 −3 −3 −5: six of 8 reach 3
    { d: [3, -1, 1], p: 6 / 8, why: 'signs that cancel' },
    // observed 0.9; of 0.5, 0.2, 0.1, 0.3 only all + (1.1) and −0.1 flipped (0.9) reach it, and mirrors
    { d: [0.5, 0.2, -0.1, 0.3], p: 4 / 16, why: 'four pairs' },
    { d: [1, 1, 1, 1, 1], p: 2 / 32, why: 'five equal pairs: the smallest p of 5 pairs' },
    { d: [1, -1], p: 1, why: 'a perfect tie' },
    { d: [0, 0.2, 0.2, 0.2], p: 2 / 8, why: 'a zero changes no sum: 3 pairs count' },
    { d: [0, 0, 0], p: 1, why: 'no pair carries information' },
    { d: [-0.3], p: 1, why: 'one pair' },
  ])('$d → p = $p ($why)', ({ d, p }) => {
    const r = signFlipTest(d);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(p, 14);
  });

  it("reproduces Fisher's count on Darwin's pairs: 1,726 of 32,768", () => {
    expect(signFlipTest(DARWIN).pValue).toBe(1726 / 32768);
  });

  it("gives R's sleep differences p = 2/512 (9 nonzero pairs, all negative)", () => {
    const r = signFlipTest([-1.2, -2.4, -1.3, -1.3, 0, -1.0, -1.8, -0.8, -4.6, -1.4]);
    expect(r).toEqual({ pValue: 2 / 512, method: 'exact', n: 9, minPValue: 2 / 512 });
  });

  it('does not care about the scale or the sign of the whole sample', () => {
    const d = [0.012, -0.004, 0.02, 0.007, 0.003, -0.001, 0.015];
    const p = signFlipTest(d).pValue;
    expect(signFlipTest(d.map((x) => x * 1000)).pValue).toBe(p);
    expect(signFlipTest(d.map((x) => -x)).pValue).toBe(p);
  });

  it('rejects a non-finite d', () => {
    expect(() => signFlipTest([0.1, Number.NaN])).toThrow(RangeError);
  });
});

describe('the smallest p: 2/2^n', () => {
  it.each([
    { n: 1, min: 1 },
    { n: 4, min: 0.125 },
    { n: 5, min: 0.0625 },
    { n: 6, min: 0.03125 },
    { n: 8, min: 0.0078125 },
  ])('with $n pairs it is $min', ({ n, min }) => {
    expect(signFlipMinP(n)).toBe(min);
    expect(signFlipTest(Array.from({ length: n }, (_, i) => 0.01 * (i + 1))).minPValue).toBe(min);
  });

  it('so no data of 5 pairs can reach p < 0.05: every sign pattern of 5 values tried', () => {
    const magnitudes = [0.03, 0.011, 0.07, 0.002, 0.05];
    for (let mask = 0; mask < 32; mask++) {
      const d = magnitudes.map((m, i) => (mask & (1 << i) ? -m : m));
      expect(signFlipTest(d).pValue).toBeGreaterThanOrEqual(0.0625);
    }
  });

  it.each([
    { alpha: 0.05, pairs: 6 },
    { alpha: 0.05 / 3, pairs: 7 }, // three looks at alpha/3 (sequential.ts)
    { alpha: 0.01, pairs: 8 },
    { alpha: 0.1, pairs: 5 },
  ])('needs $pairs pairs to reach p < $alpha', ({ alpha, pairs }) => {
    expect(minPairsForSignFlip(alpha)).toBe(pairs);
    expect(signFlipMinP(pairs)).toBeLessThan(alpha);
    expect(signFlipMinP(pairs - 1)).toBeGreaterThanOrEqual(alpha);
  });
});

describe('signFlipTest: seeded Monte Carlo above 20 pairs', () => {
  const d22 = [...DARWIN, 12, -30, 5, 44, -9, 17, 2];

  it(`switches to Monte Carlo past ${SIGN_FLIP.exactMaxPairs} pairs and repeats itself for the same seed`, () => {
    const a = signFlipTest(d22);
    expect(a.method).toBe('monte-carlo');
    expect(signFlipTest(d22)).toEqual(a);
    expect(signFlipTest(d22, { seed: 7 }).pValue).not.toBe(a.pValue);
  });

  it('agrees with full enumeration of the same 22 pairs within 3 standard errors', () => {
    const exact = signFlipTest(d22, { exactMaxPairs: 22 });
    expect(exact.method).toBe('exact');
    const mc = signFlipTest(d22);
    const se = Math.sqrt((exact.pValue * (1 - exact.pValue)) / SIGN_FLIP.resamples);
    expect(Math.abs(mc.pValue - exact.pValue)).toBeLessThan(3 * se);
  });

  it('never returns p = 0: (1 + hits)/(1 + resamples), and says so in minPValue', () => {
    const r = signFlipTest(
      Array.from({ length: 30 }, () => 0.05),
      { resamples: 999 },
    );
    expect(r.pValue).toBe(1 / 1000);
    expect(r.minPValue).toBe(1 / 1000);
  });
});
