import { describe, expect, it } from 'vitest';
import { logGamma, regularizedBeta } from '../../bench/stats/special-functions.ts';
import { studentTCdf, studentTQuantile, studentTTwoSided } from '../../bench/stats/student-t.ts';

describe('studentTQuantile', () => {
  // Printed Student t tables, 3 decimals (NIST/SEMATECH e-Handbook §1.3.6.7.2 for the 0.90–0.995
  // columns; t_{0.8,9} = 0.8834 from scipy.stats.t.ppf).
  it.each([
    { p: 0.975, df: 4, expected: 2.776 },
    { p: 0.975, df: 9, expected: 2.262 },
    { p: 0.975, df: 29, expected: 2.045 },
    { p: 0.975, df: 1, expected: 12.706 },
    { p: 0.995, df: 10, expected: 3.169 },
    { p: 0.95, df: 5, expected: 2.015 },
    { p: 0.9, df: 5, expected: 1.476 },
    { p: 0.8, df: 9, expected: 0.883 },
  ])('t_{$p,$df} = $expected (table)', ({ p, df, expected }) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 3);
  });

  // Closed forms: df = 1 is Cauchy, t = tan(π(p − ½)); df = 2 has t = (2p − 1)/√(2p(1 − p)).
  it.each([0.6, 0.9, 0.975, 0.9995, 0.01])('matches the closed forms for df = 1 and 2 at p = %s', (p) => {
    expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
    expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 11);
  });

  it('tends to the normal quantile for large df (z_{0.975} = 1.959964)', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('is symmetric, 0 at the median, and inverts the CDF', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    for (const df of [1, 2.5, 4, 9, 29, 200])
      for (const p of [0.001, 0.1, 0.4, 0.8, 0.975, 0.999]) {
        expect(studentTQuantile(1 - p, df)).toBeCloseTo(-studentTQuantile(p, df), 10);
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
  });

  it.each([
    { p: 0, df: 4 },
    { p: 1, df: 4 },
    { p: 0.5, df: 0 },
    { p: 0.9, df: Number.NaN },
  ])('rejects p = $p, df = $df', ({ p, df }) => {
    expect(() => studentTQuantile(p, df)).toThrow(RangeError);
  });
});

describe('studentTCdf and the two-sided tail', () => {
  // scipy.stats.t.cdf(2, 5) = 0.9490302605850709; t.cdf(-1.5, 3) = 0.11529193262241141.
  it.each([
    { t: 2, df: 5, expected: 0.9490302605850709 },
    { t: -1.5, df: 3, expected: 0.11529193262241141 },
    { t: 0, df: 7, expected: 0.5 },
    { t: 1, df: 1, expected: 0.75 }, // Cauchy: ½ + atan(1)/π
  ])('P(T ≤ $t; df $df) = $expected', ({ t, df, expected }) => {
    expect(studentTCdf(t, df)).toBeCloseTo(expected, 12);
  });

  it('gives the two-sided tail without cancellation far out (df 1: 2·atan(1/t)/π)', () => {
    const exact = (2 * Math.atan(1e-6)) / Math.PI; // 6.366e-7; 1 − P(T ≤ t) would keep 10 of its digits
    expect(Math.abs(studentTTwoSided(1e6, 1) / exact - 1)).toBeLessThan(1e-12);
    expect(studentTTwoSided(Infinity, 3)).toBe(0);
    expect(studentTTwoSided(0, 3)).toBe(1);
  });
});

describe('special functions', () => {
  it.each([
    { x: 0.5, expected: 0.5 * Math.log(Math.PI) }, // Γ(½) = √π
    { x: 1, expected: 0 },
    { x: 3, expected: Math.log(2) },
    { x: 10, expected: Math.log(362_880) }, // 9!
    { x: 0.001, expected: 6.907178885383853 }, // scipy.special.gammaln(1e-3)
  ])('logGamma($x)', ({ x, expected }) => {
    expect(logGamma(x)).toBeCloseTo(expected, 13);
  });

  // Closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, I_½(a, a) = ½,
  // I_x(½, ½) = (2/π)·asin(√x) (the arcsine distribution).
  it.each([0.01, 0.3, 0.5, 0.77, 0.999])('matches the closed forms at x = %s', (x) => {
    expect(regularizedBeta(x, 1, 1)).toBeCloseTo(x, 14);
    expect(regularizedBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
    expect(regularizedBeta(x, 1, 7)).toBeCloseTo(1 - (1 - x) ** 7, 14);
    expect(regularizedBeta(0.5, 40, 40)).toBeCloseTo(0.5, 12);
    expect(regularizedBeta(x, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 13);
  });

  it('rejects arguments outside the domain', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => regularizedBeta(1.1, 1, 1)).toThrow(RangeError);
    expect(() => regularizedBeta(0.5, 0, 1)).toThrow(RangeError);
  });
});
