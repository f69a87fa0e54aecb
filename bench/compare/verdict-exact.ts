import { median, medianCi } from '../stats/bootstrap.ts';
import { EXACT_TOLERANCE_QUERIES_PER_REQUEST, type CompareMetric } from './metrics.ts';
import { judgeStatistical } from './verdict-statistical.ts';
import { baseRow, type MetricComparison } from './verdict.ts';

/** How to turn pg_stat_statements on, for the "n/a" rows. */
export const PG_STAT_STATEMENTS_HINT =
  "n/a: pg_stat_statements not loaded (set shared_preload_libraries = 'pg_stat_statements', restart PostgreSQL, then CREATE EXTENSION pg_stat_statements)";

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));

/**
 * Queries per request is a count, not a noisy measurement: compare the medians over rounds. Any rise
 * past counting noise (EXACT_TOLERANCE_QUERIES_PER_REQUEST, or thresholdPct of the base when set) is a
 * regression, any fall an improvement. Rounds with `null` (pg_stat_statements not loaded) make it n/a.
 */
export function judgeExact(
  metric: CompareMetric,
  base: readonly (number | null)[],
  head: readonly (number | null)[],
  thresholdPct: number,
): MetricComparison {
  const row = baseRow(metric, thresholdPct, { base: base.length, head: head.length });
  const b = base.filter((v): v is number => v !== null);
  const h = head.filter((v): v is number => v !== null);
  if (b.length === 0 || h.length === 0) {
    const side = b.length === 0 && h.length === 0 ? 'either side' : b.length === 0 ? 'base' : 'head';
    const missing = [...base, ...head].includes(null) ? PG_STAT_STATEMENTS_HINT : `n/a: not counted on ${side}`;
    return { ...row, base: null, head: null, verdict: 'n/a', reason: missing };
  }
  const mb = median(b);
  const mh = median(h);
  const ratio = mb === 0 ? null : { median: mh / mb, ci95: null };
  const tolerance = Math.max(EXACT_TOLERANCE_QUERIES_PER_REQUEST, (thresholdPct / 100) * mb);
  const common = {
    ...row,
    base: medianCi(b),
    head: medianCi(h),
    ratio,
    changePct: ratio === null ? null : (ratio.median - 1) * 100,
  };
  const moved = `${fmt(mb)} → ${fmt(mh)} ${metric.unit}`;
  if (mh - mb > tolerance) return { ...common, verdict: 'regressed', reason: `rose ${moved} (exact count)` };
  if (mb - mh > tolerance) return { ...common, verdict: 'improved', reason: `fell ${moved} (exact count)` };
  return { ...common, verdict: 'unchanged', reason: `same count (${moved})` };
}

/**
 * Errors as a share of attempts: a rise from zero is a regression with certainty (one failed request
 * where there were none is news); a fall to zero an improvement. When both sides have errors, the
 * statistical rule applies, and no clear change reads as unchanged rather than inconclusive.
 */
export function judgeErrors(
  metric: CompareMetric,
  base: readonly number[],
  head: readonly number[],
  paired: boolean,
  thresholdPct: number,
): MetricComparison {
  const row = baseRow(metric, thresholdPct, { base: base.length, head: head.length });
  const anyBase = base.some((v) => v > 0);
  const anyHead = head.some((v) => v > 0);
  const estimates = { base: medianCi(base), head: medianCi(head) };
  const pct = (v: readonly number[]) => `${((v.reduce((a, x) => a + x, 0) / v.length) * 100).toFixed(3)}%`;
  if (!anyBase && !anyHead) return { ...row, ...estimates, verdict: 'unchanged', reason: 'no errors on either side' };
  if (!anyBase)
    return { ...row, ...estimates, verdict: 'regressed', reason: `errors appeared: 0 → ${pct(head)} of requests` };
  if (!anyHead)
    return { ...row, ...estimates, verdict: 'improved', reason: `errors disappeared: ${pct(base)} → 0 of requests` };
  return judgeStatistical(metric, base, head, paired, thresholdPct, { quietNoChange: true });
}
