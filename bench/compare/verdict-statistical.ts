import { BOOTSTRAP, medianCi } from '../stats/bootstrap.ts';
import { mannWhitney } from './mann-whitney.ts';
import type { CompareMetric } from './metrics.ts';
import { minDetectablePct, ratioOfMedians, roundsNeeded, ROUNDS_MIN_FOR_RANK_TEST } from './ratio.ts';
import { baseRow, SIGNIFICANCE, signedPct, worseness, type MetricComparison } from './verdict.ts';

/**
 * Verdict rules for a noisy metric (req/s, latency, CPU, RSS; errors when both sides have some):
 * - regressed: the interval excludes 1 on the worse side, the rank test agrees (p < 0.05), and the
 *   point ratio is past the practical threshold;
 * - improved: the same on the better side;
 * - unchanged: the whole interval lies within ± threshold (whatever the test says, no practical change fits);
 * - inconclusive otherwise, with why and the rounds per side that would likely resolve it.
 */
export function judgeStatistical(
  metric: CompareMetric,
  base: readonly number[],
  head: readonly number[],
  paired: boolean,
  thresholdPct: number,
  options: { quietNoChange?: boolean } = {},
): MetricComparison {
  const row = baseRow(metric, thresholdPct, { base: base.length, head: head.length });
  const estimates = { base: medianCi(base), head: medianCi(head) };
  const n = Math.min(base.length, head.length);
  if (n < BOOTSTRAP.minSamples) {
    return {
      ...row,
      ...estimates,
      verdict: 'inconclusive',
      reason: `fewer than ${BOOTSTRAP.minSamples} rounds per side (base ${base.length}, head ${head.length}): no interval, no test`,
      roundsNeeded: Math.max(ROUNDS_MIN_FOR_RANK_TEST, BOOTSTRAP.minSamples),
    };
  }
  const ratio = ratioOfMedians(head, base, paired);
  if (ratio === null || ratio.ci95 === null) {
    return { ...row, ...estimates, ratio, verdict: 'inconclusive', reason: 'the base median is 0: no ratio exists' };
  }
  const test = mannWhitney(head, base);
  const t = thresholdPct / 100;
  const w = worseness(ratio.median, metric.direction);
  const [wLo, wHi] = ratio.ci95.map((x) => worseness(x, metric.direction)).sort((a, b) => a - b) as [number, number];
  const halfWidth = (ratio.ci95[1] - ratio.ci95[0]) / 2;
  const significant = test.pValue < SIGNIFICANCE;
  const stats = {
    ...row,
    ...estimates,
    ratio,
    changePct: (ratio.median - 1) * 100,
    pValue: test.pValue,
    rankTest: test.method,
    minDetectablePct: minDetectablePct(ratio),
  };
  const change = `${signedPct((ratio.median - 1) * 100)} (p = ${test.pValue.toPrecision(2)})`;
  const band = `±${thresholdPct}%`;

  if (wLo > 0 && significant && w > t)
    return { ...stats, verdict: 'regressed', reason: `worse by ${change}, past the ${thresholdPct}% threshold` };
  if (wHi < 0 && significant && -w > t)
    return { ...stats, verdict: 'improved', reason: `better by ${change}, past the ${thresholdPct}% threshold` };
  if (wLo >= -t && wHi <= t && t > 0)
    return { ...stats, verdict: 'unchanged', reason: `the interval lies within the ${band} band` };
  if (options.quietNoChange && !(significant && (wLo > 0 || wHi < 0)))
    return { ...stats, verdict: 'unchanged', reason: `no clear change ${change}` };

  const clear = wLo > 0 || wHi < 0;
  let reason: string;
  let target: number;
  if (clear && significant) {
    reason = `a real change of ${change}, within the ${thresholdPct}% threshold, but the interval reaches past it`;
    target = t - Math.abs(w);
  } else if (clear) {
    reason = `the interval excludes no change but the rank test does not (p = ${test.pValue.toPrecision(2)} ≥ ${SIGNIFICANCE})`;
    target = Math.abs(w);
  } else if (Math.abs(w) < t) {
    reason = `the interval (±${(halfWidth * 100).toFixed(1)}%) is too wide to rule out a change past ${band}`;
    target = t - Math.abs(w);
  } else {
    reason = `a change of ${change} past the threshold, but the interval includes no change`;
    target = Math.abs(w);
  }
  return { ...stats, verdict: 'inconclusive', reason, roundsNeeded: roundsNeeded(n, halfWidth, target) };
}
