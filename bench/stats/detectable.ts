import { studentTQuantile } from './student-t.ts';

/**
 * The smallest change a paired comparison of n rounds can see, for reports ("this gate sees ≥ +4.1% at
 * 90% power"): the true mean log ratio δ that a two-sided paired t test at `alpha` detects with
 * probability `power`, δ = (t_{1−α/2, n−1} + t_{power, n−1}) · sd/√n, sd the sd of the d_i.
 *
 * This is the usual central-t approximation of the noncentral-t power. Against the exact δ (scipy.stats
 * nct, recorded in test/stats/detectable.test.ts) it is low by 1.2% of δ at n = 5 and 80% power, 2.0% at
 * n = 5 and 90%, under 0.5% from n = 8, and within 0.1% at n = 20: far inside the uncertainty of an sd
 * estimated from those same few rounds (with 5 pairs the 95% interval of sd spans 0.6× to 2.9× the
 * estimate). Say "about" when quoting it.
 */
export const DETECTABLE = {
  alpha: 0.05,
  power: 0.8,
  maxPairs: 200, // past this a difference that small is not worth chasing with wall-clock time
} as const;

export interface PowerOptions {
  alpha?: number; // two-sided significance level
  power?: number; // probability of detecting the change, 0.5 ≤ power < 1
}

function checked(options: PowerOptions): { alpha: number; power: number } {
  const { alpha = DETECTABLE.alpha, power = DETECTABLE.power } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie in (0, 1), got ${alpha}`);
  if (!(power >= 0.5 && power < 1)) throw new RangeError(`power must lie in [0.5, 1), got ${power}`);
  return { alpha, power };
}

/** δ in log units (Infinity below 2 pairs: no test exists). power 0.5 gives the interval's half-width. */
export function detectableLogEffect(pairs: number, sdLog: number, options: PowerOptions = {}): number {
  const { alpha, power } = checked(options);
  if (!(sdLog >= 0)) throw new RangeError(`detectableLogEffect: sdLog must be ≥ 0, got ${sdLog}`);
  if (pairs < 2) return Infinity;
  const df = pairs - 1;
  const tPower = power === 0.5 ? 0 : studentTQuantile(power, df);
  return ((studentTQuantile(1 - alpha / 2, df) + tPower) * sdLog) / Math.sqrt(pairs);
}

/**
 * The detectable change as ratios of head to base: `increase` = e^δ − 1 (+4.1% as 0.041), `decrease` =
 * 1 − e^−δ; the log scale makes the two sides symmetric, not the percentages.
 */
export function smallestDetectableChange(
  pairs: number,
  sdLog: number,
  options: PowerOptions = {},
): { logEffect: number; increase: number; decrease: number } {
  const logEffect = detectableLogEffect(pairs, sdLog, options);
  return { logEffect, increase: Math.expm1(logEffect), decrease: -Math.expm1(-logEffect) };
}

/**
 * The fewest pairs (≥ 2) that detect a true |mean log ratio| of `logEffect` with the given power;
 * null when even `maxPairs` pairs would not. detectableLogEffect falls as pairs grow: binary search.
 */
export function pairsForLogEffect(
  logEffect: number,
  sdLog: number,
  options: PowerOptions & { maxPairs?: number } = {},
): number | null {
  const maxPairs = options.maxPairs ?? DETECTABLE.maxPairs;
  const reaches = (n: number) => detectableLogEffect(n, sdLog, options) <= Math.abs(logEffect);
  if (!reaches(maxPairs)) return null;
  let lo = 1; // never reaches (no test)
  let hi = maxPairs; // reaches
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
