import type { Estimate } from '../../results/types.ts';
import { BOOTSTRAP, median, medianCi } from '../../stats/bootstrap.ts';
import { pairedLogRatio } from '../../stats/paired.ts';
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
  measured: Estimate | null; // median over rounds, its interval (95% CI from 5 rounds, else the range)
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
/** Whether the capacity search counted users with think time (adr --think-time). */
function usersHeld(design: AdrDesign): boolean {
  return !('skipped' in design.capacity) && design.capacity.thinkTimeMs !== undefined;
}

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
            usersHeld(design),
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

/**
 * async ÷ baseline from per-round log ratios (bench/stats/paired.ts, DESIGN rule 13), paired by round
 * number (by position when neither series left a round out), else the ratio of the medians without an
 * interval: never an unpaired test that ignores the interleaving.
 */
function gainRatio(s: AdrSeries, base: AdrSeries): Estimate | null {
  if (s.values.length === 0 || base.values.length === 0) return null;
  const roundsOf = (x: AdrSeries) =>
    x.rounds ?? (s.values.length === base.values.length ? x.values.map((_, i) => i + 1) : null);
  const [mineRounds, theirRounds] = [roundsOf(s), roundsOf(base)];
  if (mineRounds && theirRounds) {
    const theirs = new Map(theirRounds.map((r, i) => [r, base.values[i]!]));
    const mine = mineRounds.map((r, i) => [r, s.values[i]!] as const).filter(([r]) => theirs.has(r));
    const p = pairedLogRatio(
      mine.map(([r]) => theirs.get(r)),
      mine.map(([, v]) => v),
    );
    if (p.kind === 'none') return null;
    return { median: p.ratio, ci95: p.n >= BOOTSTRAP.minSamples ? [p.lo, p.hi] : null };
  }
  const b = median(base.values);
  return b === 0 ? null : { median: median(s.values) / b, ci95: null };
}

function buildRow(
  path: string,
  key: SeriesKey,
  claim: ClaimKey,
  adapter: string,
  role: TargetStyle,
  s: AdrSeries | undefined,
  base: AdrSeries | undefined,
  users = false,
): AdrRow {
  const c = ADR_CLAIMS[claim];
  // With --think-time the capacity search counts users who idle between requests, not busy connections.
  const unit = key === 'max-connections' && users ? 'users' : SERIES[key].unit;
  const estimate = role === 'async' ? c.async : c.sync; // sync and blocking: the ADR's "before"
  const measured = s ? estimateOf(s.values) : null;
  const format = (n: number) => formatValue(unit, n);
  const judgement = s?.invalid
    ? { ...judge(estimate, null, format), why: s.invalid }
    : judge(estimate, measured, format, ESTIMATE_TOLERANCE_FACTOR, s?.values.length ?? 0);
  let gain: AdrRow['gain'] = null;
  if (role === 'async') {
    const ratio = s && base ? gainRatio(s, base) : null;
    const invalid = s?.invalid ?? base?.invalid;
    const pairs = s && base ? Math.min(s.values.length, base.values.length) : 0;
    const g = judge(claimedRatio(claim), ratio, formatChange, ESTIMATE_TOLERANCE_FACTOR, pairs);
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
