import { mean, sampleSd } from './paired.ts';
import { studentTTwoSided } from './student-t.ts';

/**
 * Paired t test of "mean log ratio = 0" on the d_i (R: `t.test(log(head / base))`, or
 * `t.test(log(head), log(base), paired = TRUE)`): t = mean/(sd/√n), df = n − 1, two-sided p. Exact when
 * the d_i are normal; its interval is the one paired.ts prints, so p < 1 − confidence exactly when that
 * interval excludes a ratio of 1.
 */
export interface PairedTTest {
  t: number;
  df: number;
  pValue: number; // two-sided
}

/** Null below 2 pairs (no sd). Identical d_i: p = 1 when all are 0, else p = 0 (t is infinite). */
export function pairedTTest(d: readonly number[]): PairedTTest | null {
  const n = d.length;
  if (n < 2) return null;
  for (const v of d) if (!Number.isFinite(v)) throw new RangeError(`pairedTTest: d = ${v} is not finite`);
  const m = mean(d);
  const se = sampleSd(d, m) / Math.sqrt(n);
  if (se === 0) return { t: m === 0 ? 0 : Math.sign(m) * Infinity, df: n - 1, pValue: m === 0 ? 1 : 0 };
  const t = m / se;
  return { t, df: n - 1, pValue: studentTTwoSided(t, n - 1) };
}
