import { createRng } from '../../shared/prng.ts';

/**
 * Two-sided sign-flip permutation test of "no change" on paired log ratios d_i (Fisher, The Design of
 * Experiments, 1935, §21: Darwin's Zea mays pairs, 1,726 of 32,768 sign patterns as extreme). Under
 * the null each d_i is as likely to be +|d_i| as −|d_i|; p is the share of the 2^n sign patterns whose
 * |Σ s_i·|d_i|| reaches the observed |Σ d_i|. Distribution-free: no normality, a wild round counts
 * once. Pairs with d_i = 0 change no pattern's sum and are left out of n.
 *
 * Its smallest p is 2/2^n (the observed pattern and its mirror): with 5 pairs 2/32 = 0.0625, so a
 * two-sided test at 0.05 cannot reject with 5 pairs or fewer whatever the data. `minPValue` and
 * minPairsForSignFlip let a caller refuse or warn (a `--quick` gate with too few pairs).
 */
export const SIGN_FLIP = {
  exactMaxPairs: 20, // 2^19 patterns enumerated (one sign is fixed by symmetry): ~10 ms
  resamples: 20_000, // Monte Carlo above exactMaxPairs: p's sd ≤ 0.0035 at p = 0.05
  seed: 0x5f11b5, // same d, same p: re-rendering a report must not change its numbers
} as const;

export interface SignFlipTest {
  pValue: number; // two-sided
  method: 'exact' | 'monte-carlo';
  n: number; // nonzero d_i: the pairs that carry information
  minPValue: number; // the smallest p this n (and these resamples) can give
}

/** 2/2^n: the smallest two-sided p of an exact sign-flip test on n nonzero pairs (1 for n ≤ 1). */
export function signFlipMinP(pairs: number): number {
  return Math.min(1, 2 / 2 ** pairs);
}

/** The fewest pairs whose sign-flip test can give p < alpha (6 for 0.05, 8 for 0.01). */
export function minPairsForSignFlip(alpha: number): number {
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`minPairsForSignFlip: alpha must lie in (0, 1], got ${alpha}`);
  let n = 1;
  while (signFlipMinP(n) >= alpha) n++;
  return n;
}

/**
 * Sums Σ s_i·x_i over the 2^(n−1) patterns with s_0 = +1 (the other half mirrors them, same |sum|), in
 * Gray-code order: each step flips one sign. Returns how many reach `observed`.
 */
function exactCount(x: readonly number[], observed: number, tolerance: number): number {
  const n = x.length;
  const signs = new Int8Array(n).fill(1);
  let sum = x.reduce((a, v) => a + v, 0);
  let count = 1; // all signs +: |Σ|x_i|| ≥ |Σ d_i| always
  for (let k = 1; k < 2 ** (n - 1); k++) {
    const i = 1 + (31 - Math.clz32(k & -k)); // the lowest set bit of k says which sign flips
    sum += signs[i] === 1 ? -2 * x[i]! : 2 * x[i]!;
    signs[i] = -signs[i]!;
    if (Math.abs(sum) >= observed - tolerance) count++;
  }
  return count;
}

/** Signs drawn at random: (1 + hits)/(1 + resamples), never 0 (Phipson & Smyth, SAGMB 9(1), 2010). */
function monteCarloP(x: readonly number[], observed: number, tolerance: number, resamples: number, seed: number) {
  const rng = createRng(seed);
  let hits = 0;
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (const v of x) sum += rng.next() < 0.5 ? v : -v;
    if (Math.abs(sum) >= observed - tolerance) hits++;
  }
  return (1 + hits) / (1 + resamples);
}

export function signFlipTest(
  d: readonly number[],
  options: { exactMaxPairs?: number; resamples?: number; seed?: number } = {},
): SignFlipTest {
  const { exactMaxPairs = SIGN_FLIP.exactMaxPairs, resamples = SIGN_FLIP.resamples, seed = SIGN_FLIP.seed } = options;
  for (const v of d) if (!Number.isFinite(v)) throw new RangeError(`signFlipTest: d = ${v} is not finite`);
  const x = d.filter((v) => v !== 0).map(Math.abs);
  const n = x.length;
  if (n === 0) return { pValue: 1, method: 'exact', n: 0, minPValue: 1 };
  const observed = Math.abs(d.reduce((a, v) => a + v, 0));
  // Sums equal on paper differ in the last bits after many additions: count them as ties.
  const tolerance = 1e-9 * x.reduce((a, v) => a + v, 0);
  if (n <= exactMaxPairs) {
    const pValue = exactCount(x, observed, tolerance) / 2 ** (n - 1);
    return { pValue, method: 'exact', n, minPValue: signFlipMinP(n) };
  }
  const pValue = monteCarloP(x, observed, tolerance, resamples, seed);
  return { pValue, method: 'monte-carlo', n, minPValue: Math.max(signFlipMinP(n), 1 / (1 + resamples)) };
}
