import type { Estimate } from '../../results/types.ts';
import { MIN_PAIRS_FOR_INTERVAL } from '../../stats/paired.ts';
import { roundsIntervalText } from '../../stats/interval-text.ts';

/**
 * The verdict rule, one for every row: the ADR writes its numbers as "~v", which we read as "within a
 * factor of 2 of v" (the band [v/2, 2v]). A measured value is a median over rounds with its 95%
 * bootstrap interval (the range of the rounds below 5 rounds). The estimate is
 * - confirmed when the whole interval lies inside the band,
 * - refuted when the whole interval lies outside it (entirely below or entirely above),
 * - inconclusive otherwise: the interval straddles an edge of the band, or there is no interval
 *   (fewer than 3 rounds) or no measurement, or the interval is the range of 3 or 4 rounds: a range
 *   covers the median only ~75–88% of the time and supports no verdict (DESIGN rule 13); the reason
 *   still says where the range lies, so a reader sees which way it leans.
 * The same rule judges a claimed gain, applied to the ratio async ÷ sync: "-60%" is the ratio 0.4,
 * band [0.2, 0.8]; "+400%" is 5, band [2.5, 10].
 */
export const ESTIMATE_TOLERANCE_FACTOR = 2;

export const VERDICTS = ['confirmed', 'refuted', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * How a verdict reads on an absolute row (the ADR's "~20 ms" vs ours). There "confirmed" would read as
 * the ADR being right while async can be slower than sync on the same row (#22): an absolute number
 * only says whether this machine lands near the ADR's guess. Relative rows (claimed gains) keep
 * confirmed / refuted.
 */
export const ABSOLUTE_VERDICT_TEXT: Record<Verdict, string> = {
  confirmed: 'near the estimate',
  refuted: 'far from the estimate',
  inconclusive: 'inconclusive',
};

export interface Judgement {
  verdict: Verdict;
  band: [number, number]; // [estimate / factor, estimate × factor]
  why: string; // one sentence, with the numbers
}

/**
 * Judges an estimate against a measured median and interval. `format` prints a value with its unit
 * (the same one for band and interval, so the sentence can be compared at a glance).
 */
export function judge(
  estimate: number,
  measured: Estimate | null,
  format: (n: number) => string,
  factor: number = ESTIMATE_TOLERANCE_FACTOR,
  rounds: number = MIN_PAIRS_FOR_INTERVAL, // how many rounds (or pairs) the interval comes from
): Judgement {
  if (!(estimate > 0) || !(factor > 1))
    throw new RangeError(`judge: estimate ${estimate} and factor ${factor} must be positive (factor > 1)`);
  const band: [number, number] = [estimate / factor, estimate * factor];
  const bandText = `${format(band[0])} to ${format(band[1])}`;
  if (measured === null) return { verdict: 'inconclusive', band, why: 'not measured' };
  if (measured.ci95 === null)
    return {
      verdict: 'inconclusive',
      band,
      why: `median ${format(measured.median)} from fewer than 3 rounds: no confidence interval`,
    };
  const [lo, hi] = measured.ci95;
  const ci = `${roundsIntervalText(rounds)} ${format(lo)} to ${format(hi)}`;
  const place =
    lo >= band[0] && hi <= band[1]
      ? { verdict: 'confirmed' as const, where: 'lies inside' }
      : hi < band[0]
        ? { verdict: 'refuted' as const, where: 'lies entirely below' }
        : lo > band[1]
          ? { verdict: 'refuted' as const, where: 'lies entirely above' }
          : { verdict: 'inconclusive' as const, where: 'straddles the edge of' };
  const why = `${ci} ${place.where} ${bandText}`;
  if (rounds < MIN_PAIRS_FOR_INTERVAL)
    return { verdict: 'inconclusive', band, why: `${why}; a range of ${rounds} rounds supports no verdict` };
  return { verdict: place.verdict, band, why };
}
