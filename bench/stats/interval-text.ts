import { MIN_PAIRS_FOR_INTERVAL, type PairedRatio } from './paired.ts';

/**
 * The one place that turns a paired result into the words a report prints, so that an interval is
 * always named for what it is (DESIGN rule 13, STYLE habit 17):
 *   t      "1.08× (1.02–1.15, 95% CI, n = 8)"       "+8.0% (+2.0% … +15.0%, 95% CI, n = 8)"
 *   range  "1.08× (range 1.01–1.19, n = 3)"         "+8.0% (range +1.0% … +19.0%, n = 3)"
 *   n = 1  "1.08× (no interval, n = 1)"             none  "n/a (no pairs)"
 * Dropped pairs follow n: "n = 8, 2 dropped". Ratios have 2 decimals and "×" like formatRatio in
 * bench/report/format.ts; changes are signed percents with 1 decimal and "−" like signedPct in
 * bench/compare/verdict.ts, value intervals "lo–hi" and change intervals "lo … hi" like
 * bench/compare/format.ts. Pass more digits where a threshold is finer than them (a 0.5% gate).
 */

/** 0.95 → "95%", 1 − 0.05/3 → "98.3%". */
export function confidenceText(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}

/** What the interval is, for a column header or a legend: "95% CI", "range" or "no interval". */
export function intervalKindText(r: PairedRatio): string {
  if (r.kind === 't') return `${confidenceText(r.confidence)} CI`;
  return r.kind === 'range' && r.n > 1 ? 'range' : 'no interval';
}

/** (ratio − 1) as a signed percent: "+8.0%", "−4.0%". */
export function signedPercent(ratio: number, digits = 1): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(digits)}%`;
}

function pairsText(r: PairedRatio): string {
  return `n = ${r.n}${r.dropped > 0 ? `, ${r.dropped} dropped` : ''}`;
}

interface Style {
  point: (x: number) => string;
  bound: (x: number) => string;
  between: string;
}

function text(r: PairedRatio, { point, bound, between }: Style): string {
  if (r.kind === 'none') return `n/a (no pairs${r.dropped > 0 ? `, ${r.dropped} dropped` : ''})`;
  const bounds = `${bound(r.lo)}${between}${bound(r.hi)}`;
  if (r.kind === 't') return `${point(r.ratio)} (${bounds}, ${intervalKindText(r)}, ${pairsText(r)})`;
  if (r.n === 1) return `${point(r.ratio)} (no interval, ${pairsText(r)})`;
  return `${point(r.ratio)} (range ${bounds}, ${pairsText(r)})`;
}

/** "1.08× (1.02–1.15, 95% CI, n = 8)" or "1.08× (range 1.01–1.19, n = 3)". */
export function pairedRatioText(r: PairedRatio, digits = 2): string {
  return text(r, { point: (x) => `${x.toFixed(digits)}×`, bound: (x) => x.toFixed(digits), between: '–' });
}

/** "+8.0% (+2.0% … +15.0%, 95% CI, n = 8)" or "+8.0% (range +1.0% … +19.0%, n = 3)". */
export function pairedChangeText(r: PairedRatio, digits = 1): string {
  const pct = (x: number) => signedPercent(x, digits);
  return text(r, { point: pct, bound: pct, between: ' … ' });
}

/**
 * What the interval of a median over `rounds` rounds is, for a header or a legend (DESIGN rule 13):
 * "95% CI" from 5 rounds, "range, n = 3" below (a percentile bootstrap of the median of 3 or 4 rounds
 * is their min … max: about 75–88% coverage, not 95%), "no interval, n = 2" below 3 (nothing to resample).
 */
export function roundsIntervalText(rounds: number): string {
  if (rounds >= MIN_PAIRS_FOR_INTERVAL) return '95% CI';
  if (rounds >= MIN_ROUNDS_FOR_RANGE) return `range, n = ${rounds}`;
  return `no interval, n = ${rounds}`;
}

/** Below this many rounds a median has no interval at all (bench/stats/bootstrap.ts BOOTSTRAP.minSamples). */
export const MIN_ROUNDS_FOR_RANGE = 3;
