import { BOOTSTRAP, median, ratioCi } from '../stats/bootstrap.ts';
import { pairedLogRatio } from '../stats/paired.ts';
import type { Estimate } from '../results/types.ts';

/**
 * head/base for the rounds of one interleaved run, paired by round number (DESIGN rule 13): the
 * geometric mean of the per-round ratios with a Student t interval from 5 pairs and the range of the
 * per-round ratios below (bench/stats/paired.ts, the one paired statistic); no interval below 3 pairs.
 * Drift that hit both sides in a round cancels out of each ratio. Two separate runs have no pairs:
 * bench/stats/bootstrap.ts's ratioCi resamples each side alone.
 */
export function pairedRatioCi(head: readonly number[], base: readonly number[]): Estimate | null {
  if (head.length !== base.length) throw new RangeError('pairedRatioCi: both sides need the same rounds');
  if (median(base) === 0) return null;
  const p = pairedLogRatio(base, head);
  if (p.kind === 'none') return null;
  return { median: p.ratio, ci95: p.n >= BOOTSTRAP.minSamples ? [p.lo, p.hi] : null };
}

export function ratioOfMedians(
  head: readonly number[],
  base: readonly number[],
  paired: boolean,
  seed: number = BOOTSTRAP.seed,
): Estimate | null {
  return paired ? pairedRatioCi(head, base) : ratioCi(head, base, seed);
}

/**
 * The smallest change this run could have told from no change, in percent: the interval's half-width
 * (a true ratio further than that from 1 puts 1 outside an interval of this width).
 */
export function minDetectablePct(ratio: Estimate | null): number | null {
  if (ratio?.ci95 == null) return null;
  return ((ratio.ci95[1] - ratio.ci95[0]) / 2) * 100;
}

/** Past this many rounds the estimate says "more than": a difference that small is not worth chasing. */
export const ROUNDS_NEEDED_MAX = 200;
/** The exact two-sided rank test cannot reach p < 0.05 with 3 vs 3 rounds (its smallest p is 2/20 = 0.1). */
export const ROUNDS_MIN_FOR_RANK_TEST = 4;

/**
 * How many rounds per side would shrink the interval's half-width to `targetHalfWidth` (a ratio
 * distance), assuming it scales as 1/√rounds (the median's standard error does). An estimate: say so.
 */
export function roundsNeeded(rounds: number, halfWidth: number, targetHalfWidth: number): number {
  if (!(targetHalfWidth > 0)) return ROUNDS_NEEDED_MAX;
  const n = Math.ceil(rounds * (halfWidth / targetHalfWidth) ** 2);
  return Math.min(ROUNDS_NEEDED_MAX, Math.max(rounds + 1, ROUNDS_MIN_FOR_RANK_TEST, n));
}
