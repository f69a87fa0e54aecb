import { describe, expect, it } from 'vitest';
import { mannWhitney } from '../../bench/compare/mann-whitney.ts';

/**
 * Known values from R's wilcox.test(x, y) (two-sided, correct = TRUE):
 * - exact, no ties: `wilcox.test(1:5, 6:10)` → W = 0, p = 0.007937 (= 2/252); the ?wilcox.test example
 *   x = c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46), y = c(1.15, 0.88, 0.90, 0.74, 1.21)
 *   gives W = 35, p = 0.1272 with alternative = "greater", so 0.2544 two-sided.
 * - normal approximation with ties (endmemo.com/r/wilcoxon.php, R output quoted there):
 *   x = c(1,5,9,24,56,21,3,7,21,4), y = c(12,15,5,9,9,14,56,22,3,7,32,5) → W = 51.5, p = 0.5966;
 *   same x, y = c(1233,4356,987,39999,1111,200000) → W = 0, p = 0.001364.
 */

/** Every split of the pooled values into groups of m and n: the exact two-sided p by brute force. */
function bruteForceP(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const m = x.length;
  const u = (xs: number[], ys: number[]) => xs.reduce((acc, a) => acc + ys.filter((b) => a > b).length, 0);
  const observed = u(x, y);
  const us: number[] = [];
  const choose = (start: number, picked: number[]) => {
    if (picked.length === m) {
      const xs = picked.map((i) => pooled[i]!);
      const ys = pooled.filter((_, i) => !picked.includes(i));
      us.push(u(xs, ys));
      return;
    }
    for (let i = start; i < pooled.length; i++) choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  const lower = us.filter((v) => v <= observed).length / us.length;
  const upper = us.filter((v) => v >= observed).length / us.length;
  return Math.min(1, 2 * Math.min(lower, upper));
}

const X_DOC = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const Y_DOC = [1.15, 0.88, 0.9, 0.74, 1.21];
const X_TIES = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];

describe('mannWhitney', () => {
  it.each([
    { name: '1:5 vs 6:10 (exact)', x: [1, 2, 3, 4, 5], y: [6, 7, 8, 9, 10], u: 0, p: 0.007937, method: 'exact' },
    { name: '?wilcox.test example (exact)', x: X_DOC, y: Y_DOC, u: 35, p: 0.2544, method: 'exact' },
    {
      name: 'ties, overlapping (normal)',
      x: X_TIES,
      y: [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5],
      u: 51.5,
      p: 0.5966,
      method: 'normal',
    },
    {
      name: 'ties, separated (normal)',
      x: X_TIES,
      y: [1233, 4356, 987, 39999, 1111, 200000],
      u: 0,
      p: 0.001364,
      method: 'normal',
    },
  ])('matches R for $name', ({ x, y, u, p, method }) => {
    const test = mannWhitney(x, y);
    expect(test.u).toBe(u);
    expect(test.method).toBe(method);
    expect(test.pValue).toBeCloseTo(p, 4);
  });

  it.each([
    [
      [3, 1, 4],
      [15, 9, 2, 6],
    ],
    [
      [10.5, 11.2, 9.8, 10.1, 12.0],
      [9.1, 9.9, 10.0, 8.7, 9.5, 10.2],
    ],
    [
      [5, 6, 7, 8],
      [1, 2, 3, 4],
    ],
  ])('agrees with brute-force enumeration on %j vs %j', (x, y) => {
    expect(mannWhitney(x, y).pValue).toBeCloseTo(bruteForceP(x, y), 10);
  });

  it('cannot reach p < 0.05 with 3 rounds per side (smallest two-sided p is 2/20)', () => {
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).pValue).toBeCloseTo(0.1, 10);
  });

  it('gives p = 1 when every value is equal', () => {
    expect(mannWhitney([5, 5, 5, 5], [5, 5, 5, 5]).pValue).toBe(1);
  });
});
