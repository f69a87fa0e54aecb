import { medianCi } from '../stats/bootstrap.ts';
import type { CompareMetric } from './metrics.ts';
import { baseRow, type MetricComparison } from './verdict.ts';

/**
 * A level that a server carries from one window to the next (its peak RSS): one figure per side, the
 * highest over its rounds, against the threshold — no test. The windows of one server are not
 * independent samples of it: its heap grows until a collection shrinks it, and a shrink early in the
 * gate lowers every later window of that side. A paired test over such rounds reads one server's
 * history as a difference (an A/A gate of gate-calibration-2026-12-07d: base fell from 136 to 108 MiB
 * after its first window, head grew to 149, and 8 rounds of one sign gave p = 0.008: "regressed").
 */
export function judgePeak(
  metric: CompareMetric,
  base: readonly number[],
  head: readonly number[],
  thresholdPct: number,
): MetricComparison {
  const row = baseRow(metric, thresholdPct, { base: base.length, head: head.length });
  const pb = Math.max(...base);
  const ph = Math.max(...head);
  const ratio = pb > 0 ? ph / pb : null;
  const changePct = ratio === null ? null : (ratio - 1) * 100;
  const common = {
    ...row,
    base: medianCi(base),
    head: medianCi(head),
    ratio: ratio === null ? null : { median: ratio, ci95: null },
    changePct,
  };
  const mib = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
  const moved = `peak over the rounds ${mib(pb)} → ${mib(ph)} (${changePct === null ? 'n/a' : `${changePct >= 0 ? '+' : '−'}${Math.abs(changePct).toFixed(1)}%`})`;
  const worse = metric.direction === 'smaller-is-better' ? 1 : -1;
  const past = changePct === null ? 0 : worse * changePct;
  if (Math.abs(past) <= thresholdPct)
    return { ...common, verdict: 'unchanged', reason: `${moved}, within ±${thresholdPct}%` };
  return {
    ...common,
    verdict: past > 0 ? 'regressed' : 'improved',
    reason: `${moved}, past ±${thresholdPct}% (one figure per side, no test)`,
  };
}
