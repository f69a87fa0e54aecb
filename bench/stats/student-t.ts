import { logGamma, regularizedBeta } from './special-functions.ts';

/**
 * Student's t distribution with `df` degrees of freedom (df > 0, not necessarily whole): its CDF, the
 * two-sided tail, and the quantile. Known answers in test/stats/student-t.test.ts (t_{0.975,4} = 2.776,
 * t_{0.975,9} = 2.262, t_{0.975,29} = 2.045 as in every printed table).
 */

function assertDf(df: number, what: string): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`${what}: df must be a positive number, got ${df}`);
}

/** P(|T| ≥ |t|): the two-sided tail, computed directly (no 1 − CDF cancellation for large |t|). */
export function studentTTwoSided(t: number, df: number): number {
  assertDf(df, 'studentTTwoSided');
  if (Number.isNaN(t)) throw new RangeError('studentTTwoSided: t is NaN');
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTTwoSided(t, df) / 2;
  return t > 0 ? 1 - tail : tail;
}

const MAX_STEPS = 100; // Newton converges in ~5 steps from the bracket; the bisection fallback in ~60

/** The density of t as a function: Γ((ν+1)/2) / (Γ(ν/2)·√(νπ)) · (1 + t²/ν)^(−(ν+1)/2). */
function studentTDensity(df: number): (t: number) => number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return (t) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** The p-quantile t_{p,df}: P(T ≤ t_{p,df}) = p, for 0 < p < 1. */
export function studentTQuantile(p: number, df: number): number {
  assertDf(df, 'studentTQuantile');
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must lie in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Solve P(T ≥ t) = 1 − p on the upper tail itself: 1 − p keeps its digits where p rounds near 1.
  const upper = 1 - p;
  const excess = (t: number) => studentTTwoSided(t, df) / 2 - upper; // decreasing in t ≥ 0
  let lo = 0;
  let hi = 1;
  while (excess(hi) > 0) {
    lo = hi;
    hi *= 2;
  }
  // Newton on the bracket [lo, hi], bisecting whenever a step would leave it.
  const density = studentTDensity(df);
  let t = (lo + hi) / 2;
  for (let i = 0; i < MAX_STEPS; i++) {
    const g = excess(t);
    if (g > 0) lo = t;
    else hi = t;
    let next = t + g / density(t);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 2 * Number.EPSILON * next) return next;
    t = next;
  }
  return t;
}
