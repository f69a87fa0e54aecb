import type { MetricId } from './metrics.ts';
import type { MetricComparison } from './verdict.ts';

/**
 * A gate asks several timed questions at once (req/s, p50, p99 and CPU/request of every cell: 8 in the
 * default gate), each at alpha / looks. Tested one by one, the chance that at least one of them answers
 * "different" when nothing changed grows with their number: with 8 independent checks at 0.0167, 13%. The
 * calibration of 2026-12-07d saw it: 2 of 30 A/A gates had one false "improved", each a single timed
 * check, with every count and instruction check right.
 *
 * The rule here is Holm's step-down (S. Holm, "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statist. 6(2), 1979): the m timed checks of a look that have a p-value are sorted by it; the
 * k-th smallest must lie below a / (m − k + 1), and the first that does not stops the descent (it and
 * every larger p stay undecided). The chance of any false "different" over the family stays ≤ a, whatever
 * the checks' dependence (req/s, p50 and CPU/request of one cell move together), and it costs less power
 * than Bonferroni's a / m for each. With a = alpha / looks (bench/stats/sequential.ts) the whole gate,
 * every look and every timed check, keeps a false "different" to ≤ alpha.
 *
 * Counts (queries, database work, instructions) and the RSS peak are not in the family: they are judged
 * against fixed thresholds, not by a test.
 */

/** A timed check that took part in the test: a paired row with a p-value. */
export interface FamilyMember {
  cell: number; // index of the cell in the caller's list
  metric: MetricId;
  pValue: number;
  alpha: number; // the level the row was judged at (alpha / looks)
  different: boolean; // regressed or improved as judged alone
}

/** A row Holm holds back: judged again at `level` (the level per look its p had to beat). */
export interface HeldBack {
  cell: number;
  metric: MetricId;
  level: number;
  rank: number; // 1 = the smallest p of the family
  family: number; // m
}

/** The family of a gate's look: every paired timed row with a p-value, in every cell. */
export function familyOf(cells: readonly (readonly MetricComparison[])[]): FamilyMember[] {
  return cells.flatMap((rows, cell) =>
    rows
      .filter((m) => m.pairedTest !== undefined && m.pValue !== null && m.alpha !== undefined)
      .map((m) => ({
        cell,
        metric: m.metric,
        pValue: m.pValue!,
        alpha: m.alpha!,
        different: m.verdict === 'regressed' || m.verdict === 'improved',
      })),
  );
}

/**
 * Holm's step-down over the family: which rows judged "different" on their own it does not reject, and
 * the level each had to beat. A row ranked after the first failure keeps that failure's level (the
 * descent stopped there), so its verdict can never contradict a smaller p that was not enough.
 */
export function holmHeldBack(family: readonly FamilyMember[]): HeldBack[] {
  const m = family.length;
  const sorted = [...family].sort((a, b) => a.pValue - b.pValue);
  const held: HeldBack[] = [];
  let stopped: number | null = null;
  sorted.forEach((row, i) => {
    const own = row.alpha / (m - i);
    if (stopped === null && !(row.pValue < own)) stopped = own;
    const level = stopped ?? own;
    if (row.different && !(row.pValue < level))
      held.push({ cell: row.cell, metric: row.metric, level, rank: i + 1, family: m });
  });
  return held;
}

/** The sentence added to a held-back row's reason. */
export function heldBackText(h: HeldBack, pValue: number | null): string {
  const p = pValue === null ? '?' : pValue < 0.001 ? '< 0.001' : pValue.toPrecision(2);
  return `held back by Holm over the gate's ${h.family} timed checks: p = ${p} is rank ${h.rank} and had to be < ${Number(h.level.toPrecision(2))}`;
}
