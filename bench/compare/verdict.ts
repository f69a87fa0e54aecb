import type { Estimate } from '../results/types.ts';
import type { CompareMetric, Direction, MetricId, MetricKind } from './metrics.ts';

/**
 * The verdict of one cell × metric, and the row every renderer prints. `n/a` is a metric that was not
 * measured on a side (queries/request without pg_stat_statements); it never fails a gate.
 */
export const VERDICTS = ['regressed', 'improved', 'unchanged', 'inconclusive', 'n/a'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A change is statistically clear only when the rank test agrees with the interval at this level. */
export const SIGNIFICANCE = 0.05;

export interface MetricComparison {
  metric: MetricId;
  label: string;
  unit: string;
  direction: Direction;
  kind: MetricKind;
  baseRounds: number;
  headRounds: number;
  base: Estimate | null; // median over rounds with its 95% interval; null when not measured
  head: Estimate | null;
  ratio: Estimate | null; // two runs: head/base of the medians (95% bootstrap); one run: geometric mean of per-round ratios (t interval at 1 − alpha per look, null below 5 pairs)
  changePct: number | null; // (ratio − 1) × 100; positive = head larger
  pValue: number | null; // two-sided: Mann–Whitney U (two runs) or the paired test (one run)
  rankTest: 'exact' | 'normal' | null;
  /** Paired verdicts (one interleaved run): the test on per-round log ratios, the pairs used, alpha per look. */
  pairedTest?: 'sign-flip' | 't';
  pairs?: number;
  pairsDropped?: number;
  alpha?: number;
  thresholdPct: number; // the practical change, in % of the base, in the worse direction
  verdict: Verdict;
  reason: string; // one sentence: why this verdict
  minDetectablePct: number | null; // the interval's half-width, in %
  roundsNeeded: number | null; // inconclusive: estimated rounds per side that would resolve it
}

/** Fields every verdict function fills the same way. */
export function baseRow(
  metric: CompareMetric,
  thresholdPct: number,
  rounds: { base: number; head: number },
): Omit<MetricComparison, 'base' | 'head' | 'verdict' | 'reason'> {
  return {
    metric: metric.id,
    label: metric.label,
    unit: metric.unit,
    direction: metric.direction,
    kind: metric.kind,
    baseRounds: rounds.base,
    headRounds: rounds.head,
    ratio: null,
    changePct: null,
    pValue: null,
    rankTest: null,
    thresholdPct,
    minDetectablePct: null,
    roundsNeeded: null,
  };
}

/** Positive when `ratio` is worse than no change, as a fraction (0.12 = 12% worse). */
export function worseness(ratio: number, direction: Direction): number {
  return direction === 'smaller-is-better' ? ratio - 1 : 1 - ratio;
}

/** "+12.3%" / "−4.0%" */
export function signedPct(pct: number): string {
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}
