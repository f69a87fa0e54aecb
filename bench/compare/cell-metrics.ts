import type { Round } from '../results/types.ts';
import { usableRound } from '../results/validity.ts';
import { dbWorkPerRequest, mostChangedText } from './db-statements.ts';
import { countedRounds, pairedRounds, type CellPair } from './identity.ts';
import { COMPARE_METRICS } from './metrics.ts';
import { thresholdFor, type Thresholds } from './thresholds.ts';
import { judgeErrors, judgeExact } from './verdict-exact.ts';
import { heldBackText, type HeldBack } from './family.ts';
import { judgePaired, type PairedOptions } from './verdict-paired.ts';
import { judgePeak } from './verdict-peak.ts';
import { judgeStatistical } from './verdict-statistical.ts';
import { baseRow, type MetricComparison } from './verdict.ts';

export interface CompareOptions {
  thresholds?: Thresholds;
  /** Paired verdicts: the gate's cap of looks on growing data (alpha is split between them) and its test. */
  paired?: PairedOptions;
  /** Timed rows of this cell that Holm's step-down over the gate did not reject (family.ts): judged at its level. */
  heldBack?: ReadonlyMap<string, HeldBack>;
}

/**
 * One cell's rows, one per metric: paired rounds of one run, or each side's usable rounds of two runs.
 * Counts (queries, database work) also use disturbed rounds: other processes slow a window, they do not
 * change what a request asks of the database. Database work is pooled over those rounds, one figure per
 * side (dbWorkPerRequest).
 */
const hasNumbers = (values: readonly unknown[]) => values.some((v) => typeof v === 'number');

export function compareMetrics(
  pair: CellPair,
  paired: boolean,
  options: CompareOptions & { thresholds: Thresholds },
): MetricComparison[] {
  const { thresholds } = options;
  const rounds = paired
    ? pairedRounds(pair)
    : { base: pair.base.rounds.filter(usableRound), head: pair.head.rounds.filter(usableRound) };
  const counted = countedRounds(pair, paired);
  const rows: MetricComparison[] = [];
  for (const metric of COMPARE_METRICS) {
    const pct = thresholdFor(thresholds, pair.identity.scenario, metric.id);
    const values = (rs: readonly Round[]) => rs.map((r) => metric.extract(r));
    const exact = metric.kind === 'exact';
    const base = values(exact ? counted.base : rounds.base);
    const head = values(exact ? counted.head : rounds.head);
    if (!exact && (rounds.base.length === 0 || rounds.head.length === 0)) {
      rows.push({
        ...baseRow(metric, pct, { base: 0, head: 0 }),
        base: null,
        head: null,
        verdict: 'inconclusive',
        reason: 'no usable round: every round of a side was disturbed or invalid (see the notes)',
      });
      continue;
    }
    if (exact) {
      // Absent on both sides: the file predates the counter, so there is no row at all.
      if (base.every((v) => v === undefined) && head.every((v) => v === undefined)) continue;
      // Database work: one figure per side over its counted rounds (db-statements.ts says why not the median).
      const pooled =
        'dbWorkField' in metric && !base.includes(null) && !head.includes(null)
          ? dbWorkPerRequest(counted.base, counted.head, metric.dbWorkField)
          : null;
      const judged = judgeExact(
        metric,
        pooled ? [pooled.base] : base.map((v) => v ?? null),
        pooled ? [pooled.head] : head.map((v) => v ?? null),
        pct,
      );
      const row = pooled ? { ...judged, baseRounds: counted.base.length, headRounds: counted.head.length } : judged;
      // Database work: name the statement that moved the total ("search: shared blocks/request 12 → 890").
      const named =
        'dbWorkField' in metric && (row.verdict === 'regressed' || row.verdict === 'improved')
          ? mostChangedText(counted.base, counted.head, metric.dbWorkField)
          : null;
      rows.push(named ? { ...row, reason: `${row.reason}; ${named}` } : row);
      continue;
    } else if (metric.id === 'serverRssBytes' && hasNumbers(base) && hasNumbers(head)) {
      // A level carried from window to window, not a sample per window (verdict-peak.ts); disturbed rounds too.
      const peak = (rs: readonly Round[]) => values(rs).filter((v): v is number => typeof v === 'number');
      rows.push(judgePeak(metric, peak(counted.base), peak(counted.head), pct));
    } else if (metric.kind === 'errors') {
      rows.push(judgeErrors(metric, base as number[], head as number[], paired, pct));
    } else if (paired) {
      const held = options.heldBack?.get(metric.id);
      if (!held) rows.push(judgePaired(metric, base, head, pct, options.paired));
      else {
        // Held back: one decision at the level Holm asked for (already per look, so no second split).
        const row = judgePaired(metric, base, head, pct, { ...options.paired, alpha: held.level, looks: 1 });
        rows.push({ ...row, reason: `${heldBackText(held, row.pValue)}; ${row.reason}` });
      }
    } else {
      // Two separate runs: nothing pairs the rounds. A side never measured (null CPU or RSS of an external target) is n/a.
      const b = base.filter((v): v is number => typeof v === 'number');
      const h = head.filter((v): v is number => typeof v === 'number');
      rows.push(
        b.length === 0 || h.length === 0 ? judgePaired(metric, b, h, pct) : judgeStatistical(metric, b, h, false, pct),
      );
    }
  }
  return rows;
}
