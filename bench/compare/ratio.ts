import { BOOTSTRAP, median, mulberry32, quantileSorted, ratioCi } from '../stats/bootstrap.ts';
import type { Estimate } from '../results/types.ts';

/**
 * head/base ratio of the medians with a 95% percentile-bootstrap interval. Paired (rounds of one
 * interleaved run, matched by round number): each resample draws round indices once and takes both
 * sides' values of those rounds, so drift that hit both sides in a round cancels out of the ratio.
 * Independent (two separate runs): bench/stats/bootstrap.ts's ratioCi resamples each side alone.
 * Same seed as every report: same input, same interval.
 */
export function pairedRatioCi(
  head: readonly number[],
  base: readonly number[],
  seed: number = BOOTSTRAP.seed,
): Estimate | null {
  if (head.length !== base.length) throw new RangeError('pairedRatioCi: both sides need the same rounds');
  const mb = median(base);
  if (mb === 0) return null;
  const point = median(head) / mb;
  const n = head.length;
  if (n < BOOTSTRAP.minSamples) return { median: point, ci95: null };
  const random = mulberry32(seed);
  const ratios: number[] = [];
  const h = new Array<number>(n);
  const b = new Array<number>(n);
  for (let r = 0; r < BOOTSTRAP.resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      h[i] = head[k]!;
      b[i] = base[k]!;
    }
    const rb = median(b);
    if (rb !== 0) ratios.push(median(h) / rb);
  }
  if (ratios.length === 0) return { median: point, ci95: null };
  ratios.sort((x, y) => x - y);
  const tail = (1 - BOOTSTRAP.confidence) / 2;
  return { median: point, ci95: [quantileSorted(ratios, tail), quantileSorted(ratios, 1 - tail)] };
}

export function ratioOfMedians(
  head: readonly number[],
  base: readonly number[],
  paired: boolean,
  seed: number = BOOTSTRAP.seed,
): Estimate | null {
  return paired ? pairedRatioCi(head, base, seed) : ratioCi(head, base, seed);
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
