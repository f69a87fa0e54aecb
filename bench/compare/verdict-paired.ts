import { medianCi } from '../stats/bootstrap.ts';
import { decidePaired, type PairedTestKind } from '../stats/paired-decision.ts';
import { pairLogRatios } from '../stats/paired.ts';
import type { CompareMetric } from './metrics.ts';
import { baseRow, type MetricComparison, type Verdict } from './verdict.ts';

/**
 * Verdict rules for a noisy metric measured in one interleaved run (a gate file): the paired log-ratio
 * statistic of bench/stats (the one the ADR map uses), not medians resampled on each side. Round i gives
 * d_i = ln(head_i / base_i); the estimate is exp(mean d) with a Student t interval, and the verdict is
 * decidePaired's same / different / unknown (Chromium Pinpoint's three answers):
 * - regressed / improved: different, on the worse / better side (interval excludes 1, past the
 *   threshold, and the sign-flip test agrees at alpha / looks);
 * - unchanged: same (the interval lies within ± threshold);
 * - inconclusive: unknown, with why and the pairs that would likely resolve it;
 * - n/a: a side never measured it (an external target has no server process to read CPU or RSS from).
 */

export interface PairedOptions {
  /** The gate's cap of decisions on growing data (sequential rounds): each look tests at alpha / looks. */
  looks?: number;
  test?: PairedTestKind;
  /** False "different" rate over all looks; default 0.05 (a row Holm holds back is judged again lower). */
  alpha?: number;
  /**
   * How a gate's timed checks share alpha (family.ts): `holm` (default) keeps any false "different" over
   * all of them ≤ alpha per look; `each` tests every check alone at alpha / looks, as gate files written
   * before Holm's rule (without `family` in their gate section) were judged.
   */
  family?: 'holm' | 'each';
}

const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function judgePaired(
  metric: CompareMetric,
  base: readonly (number | null | undefined)[],
  head: readonly (number | null | undefined)[],
  thresholdPct: number,
  options: PairedOptions = {},
): MetricComparison {
  const b = base.filter(present);
  const h = head.filter(present);
  const row = baseRow(metric, thresholdPct, { base: b.length, head: h.length });
  if (b.length === 0 || h.length === 0) {
    const side = b.length === 0 && h.length === 0 ? 'either side' : b.length === 0 ? 'base' : 'head';
    return {
      ...row,
      base: b.length > 0 ? medianCi(b) : null,
      head: h.length > 0 ? medianCi(h) : null,
      verdict: 'n/a',
      reason: `n/a: not measured on ${side} (an external target has no server process to read)`,
    };
  }
  const pairs = pairLogRatios(base, head);
  const decision = decidePaired(pairs, {
    threshold: thresholdPct / 100,
    maxLooks: options.looks ?? 1,
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    ...(options.test ? { test: options.test } : {}),
  });
  const e = decision.estimate;
  const ratio =
    e.kind === 'none' ? null : { median: e.ratio, ci95: e.kind === 't' ? ([e.lo, e.hi] as [number, number]) : null };
  const verdict: Verdict =
    decision.decision === 'same'
      ? 'unchanged'
      : decision.decision === 'unknown'
        ? 'inconclusive'
        : (decision.direction === 'higher') === (metric.direction === 'smaller-is-better')
          ? 'regressed'
          : 'improved';
  return {
    ...row,
    base: medianCi(b),
    head: medianCi(h),
    ratio,
    changePct: ratio === null ? null : (ratio.median - 1) * 100,
    pValue: decision.pValue,
    pairedTest: decision.test,
    pairs: e.n,
    pairsDropped: e.dropped,
    alpha: decision.alpha,
    minDetectablePct: ratio?.ci95 ? ((ratio.ci95[1] - ratio.ci95[0]) / 2) * 100 : null,
    verdict,
    reason: decision.reason,
    roundsNeeded: verdict === 'inconclusive' ? decision.pairsNeeded : null,
  };
}
