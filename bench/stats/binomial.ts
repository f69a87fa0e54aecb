import { regularizedBeta } from './special-functions.ts';

/**
 * Exact (Clopper–Pearson) bounds on a share from k successes in n trials: what a calibration may say
 * about a false-alarm rate (0 of 30 A/A gates: the rate is below 9.5%, one-sided 95%) or a detection rate
 * (6 of 6: at least 61%, two-sided 95%). Clopper & Pearson, Biometrika 26(4), 1934. Beta quantiles by
 * bisection on the regularized incomplete beta function.
 */

function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function check(k: number, n: number, confidence: number): void {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(k) && k >= 0 && k <= n))
    throw new RangeError(`binomial bounds need whole numbers 0 ≤ k ≤ n, n ≥ 1 (got k = ${k}, n = ${n})`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie in (0, 1), got ${confidence}`);
}

/** One-sided upper bound on the rate: the largest p under which k or fewer of n was still likely. */
export function binomialUpperBound(k: number, n: number, confidence = 0.95): number {
  check(k, n, confidence);
  return k === n ? 1 : betaQuantile(confidence, k + 1, n - k);
}

/** Two-sided Clopper–Pearson interval [lo, hi] on the rate. */
export function clopperPearson(k: number, n: number, confidence = 0.95): [number, number] {
  check(k, n, confidence);
  const tail = (1 - confidence) / 2;
  return [k === 0 ? 0 : betaQuantile(tail, k, n - k + 1), k === n ? 1 : betaQuantile(1 - tail, k + 1, n - k)];
}
