import type { Estimate } from '../../results/types.ts';
import { medianCi, ratioCi } from '../../stats/bootstrap.ts';
import { ADR_CLAIMS, claimedRatio, type ClaimKey } from './claims.ts';
import type { AdrDesign } from './design.ts';
import type { TargetStyle } from '../../targets/styles.ts';
import { formatChange, formatValue } from './format.ts';
import { SERIES, SERIES_KEYS, type AdrSeries, type SeriesKey } from './samples.ts';
import { ESTIMATE_TOLERANCE_FACTOR, judge, type Judgement } from './verdict.ts';

/** One row of the ADR table: the ADR's estimate for this adapter's kind, what we measured, the verdict. */
export interface AdrRow {
  path: string;
  series: SeriesKey;
  claim: ClaimKey;
  adapter: string;
  role: TargetStyle;
  unit: string;
  estimate: number; // the ADR's number for this role (async, else its sync "before")
  measured: Estimate | null; // median over rounds, 95% CI
  judgement: Judgement;
  /** Async rows only: the claimed change vs the sync baseline, and the measured ratio async ÷ baseline. */
  gain: { claimedRatio: number; measured: Estimate | null; judgement: Judgement; invalid?: string } | null;
  notes: string[];
  invalid?: string; // why this row's own windows cannot support a verdict (the gain's says the same of either side)
}

/** Evidence without an ADR estimate: what the blocking does to the event loop, and CPU per request. */
export interface AdrEvidenceRow {
  path: string;
  adapter: string;
  role: TargetStyle;
  eventLoopMaxDelayMs: Estimate | null;
  cpuUsPerRequest: Estimate | null;
}

export interface AdrTable {
  baseline: string;
  toleranceFactor: number;
  rows: AdrRow[];
  evidence: AdrEvidenceRow[];
}

const estimateOf = (values: readonly number[]): Estimate | null => (values.length === 0 ? null : medianCi(values));

/** Builds every row, in a stable order: path, then ADR metric (series order), then adapter (design order). */
export function buildAdrTable(design: AdrDesign, series: readonly AdrSeries[]): AdrTable {
  const find = (adapter: string, path: string, key: SeriesKey) =>
    series.find((s) => s.adapter === adapter && s.path === path && s.series === key);
  const paths = [...new Set([...design.paths, ...series.map((s) => s.path)])];
  const rows: AdrRow[] = [];
  const evidence: AdrEvidenceRow[] = [];
  for (const path of paths) {
    for (const key of SERIES_KEYS) {
      const claim = SERIES[key].claim;
      if (claim === null) continue;
      const base = find(design.baseline, path, key);
      for (const { name: adapter, role } of design.adapters) {
        const s = find(adapter, path, key);
        if (!s && !base) continue; // not measured on this path at all (max connections: one path)
        rows.push(
          buildRow(
            path,
            key,
            claim,
            adapter,
            role,
            s,
            adapter === design.baseline || role !== 'async' ? undefined : base,
          ),
        );
      }
    }
    for (const { name: adapter, role } of design.adapters) {
      const delay = find(adapter, path, 'event-loop-max-delay');
      const cpu = find(adapter, path, 'cpu-us-per-request');
      if (!delay && !cpu) continue;
      evidence.push({
        path,
        adapter,
        role,
        eventLoopMaxDelayMs: delay ? estimateOf(delay.values) : null,
        cpuUsPerRequest: cpu ? estimateOf(cpu.values) : null,
      });
    }
  }
  return { baseline: design.baseline, toleranceFactor: ESTIMATE_TOLERANCE_FACTOR, rows, evidence };
}

function buildRow(
  path: string,
  key: SeriesKey,
  claim: ClaimKey,
  adapter: string,
  role: TargetStyle,
  s: AdrSeries | undefined,
  base: AdrSeries | undefined,
): AdrRow {
  const c = ADR_CLAIMS[claim];
  const unit = SERIES[key].unit;
  const estimate = role === 'async' ? c.async : c.sync; // sync and blocking: the ADR's "before"
  const measured = s ? estimateOf(s.values) : null;
  const format = (n: number) => formatValue(unit, n);
  const judgement = s?.invalid
    ? { ...judge(estimate, null, format), why: s.invalid }
    : judge(estimate, measured, format);
  let gain: AdrRow['gain'] = null;
  if (role === 'async') {
    const ratio = s && base && s.values.length > 0 && base.values.length > 0 ? ratioCi(s.values, base.values) : null;
    const invalid = s?.invalid ?? base?.invalid;
    const g = judge(claimedRatio(claim), ratio, formatChange);
    gain = {
      claimedRatio: claimedRatio(claim),
      measured: ratio,
      judgement: invalid ? { ...g, verdict: 'inconclusive', why: invalid } : g,
      ...(invalid ? { invalid } : {}),
    };
  }
  return {
    path,
    series: key,
    claim,
    adapter,
    role,
    unit,
    estimate,
    measured,
    judgement,
    gain,
    notes: s?.notes ?? [],
    ...(s?.invalid ? { invalid: s.invalid } : {}),
  };
}
