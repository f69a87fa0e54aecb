import { DETECTABLE, pairsForLogEffect } from './detectable.ts';
import { confidenceText, pairedChangeText } from './interval-text.ts';
import { MIN_PAIRS_FOR_INTERVAL, summarizeLogRatios, type LogRatios, type PairedRatio } from './paired.ts';
import { pairedTTest } from './paired-t.ts';
import { alphaPerLook } from './sequential.ts';
import { minPairsForSignFlip, signFlipTest } from './sign-flip.ts';

/**
 * A three-way decision on paired log ratios, after Chromium Pinpoint's same / different / unknown:
 * - different: the interval excludes a ratio of 1, the point ratio lies past ±threshold, and the test
 *   agrees (p < alpha); `direction` says whether head is higher or lower than base;
 * - same: the whole interval lies inside [1 − threshold, 1 + threshold] (equivalence: two one-sided tests
 *   at alpha/2 each, Schuirmann 1987);
 * - unknown: anything else, with the pairs that would likely resolve it (80% power by default, from the
 *   observed sd) so that a caller can add rounds up to its cap before giving a verdict.
 * Pinpoint (catapult dashboard/pinpoint/models/compare) says same when p lies above a "high threshold"
 * calibrated so that a change of the given magnitude would have shown; equivalence is the interval form
 * of that statement, and names the threshold the reader cares about.
 * Pure: the caller owns the loop, and declares its cap of looks (sequential.ts says why it must).
 * Below 5 pairs the result is a range and the answer always `unknown` (DESIGN rule 13).
 */
export const DECISIONS = ['different', 'same', 'unknown'] as const;
export type Decision = (typeof DECISIONS)[number];
export const PAIRED_TESTS = ['sign-flip', 't'] as const;
export type PairedTestKind = (typeof PAIRED_TESTS)[number];

export interface DecideOptions {
  threshold: number; // practical change as a fraction of base: 0.005 = ±0.5%
  alpha?: number; // false "different" rate over all looks; default 0.05
  maxLooks?: number; // the caller's cap of decisions on growing data; default 1 (fixed n)
  test?: PairedTestKind; // which test must agree with the interval; default the distribution-free sign flip
  power?: number; // for pairsNeeded; default 0.8
  maxPairs?: number; // past this pairsNeeded is not worth chasing; default 200
}

export interface PairedDecision {
  decision: Decision;
  direction: 'higher' | 'lower' | null; // different only: head above or below base
  estimate: PairedRatio; // the ratio with its interval at 1 − alpha per look
  alpha: number; // per look
  test: PairedTestKind;
  pValue: number | null; // null below 2 pairs
  minPValue: number | null; // sign flip: the smallest p its pairs can give
  pairsNeeded: number | null; // unknown only: total pairs likely to resolve it; null past maxPairs
  exceedsCap: boolean; // unknown only: resolving it would likely take more than maxPairs
  reason: string;
}

function pValueOf(d: readonly number[], test: PairedTestKind): { pValue: number | null; minPValue: number | null } {
  if (test === 't') return { pValue: pairedTTest(d)?.pValue ?? null, minPValue: null };
  const s = signFlipTest(d);
  return { pValue: s.pValue, minPValue: s.minPValue };
}

const pText = (p: number) => (p < 0.001 ? '< 0.001' : p.toPrecision(2));

export function decidePaired(ratios: Pick<LogRatios, 'd' | 'dropped'>, options: DecideOptions): PairedDecision {
  const { threshold, alpha = 0.05, maxLooks = 1, test = 'sign-flip', power = DETECTABLE.power } = options;
  const maxPairs = options.maxPairs ?? DETECTABLE.maxPairs;
  if (!(threshold >= 0 && Number.isFinite(threshold)))
    throw new RangeError(`decidePaired: threshold must be a finite fraction ≥ 0, got ${threshold}`);
  const a = alphaPerLook(alpha, maxLooks);
  const estimate = summarizeLogRatios(ratios, 1 - a);
  const n = ratios.d.length;
  const { pValue, minPValue } = pValueOf(ratios.d, test);
  const base = { estimate, alpha: a, test, pValue, minPValue, direction: null, pairsNeeded: null, exceedsCap: false };
  const band = `±${Number((threshold * 100).toFixed(2))}%`;
  // A threshold of 100% or more (e.g. --threshold p99=100) bounds increases only: no fall is past it.
  const edges = [threshold < 1 ? Math.log1p(-threshold) : -Infinity, Math.log1p(threshold)] as const;

  if (estimate.kind === 't') {
    const change = pairedChangeText(estimate, 2);
    const excludesOne = estimate.lo > 1 || estimate.hi < 1;
    const past = estimate.meanLog < edges[0] || estimate.meanLog > edges[1];
    const significant = pValue !== null && pValue < a;
    if (excludesOne && past && significant) {
      const direction = estimate.ratio > 1 ? 'higher' : 'lower';
      return {
        ...base,
        decision: 'different',
        direction,
        reason: `${direction} by ${change}, past ${band}; ${test} p = ${pText(pValue)} < ${Number(a.toPrecision(2))}`,
      };
    }
    if (threshold > 0 && estimate.lo >= 1 - threshold && estimate.hi <= 1 + threshold)
      return { ...base, decision: 'same', reason: `the ${confidenceText(1 - a)} CI lies within ${band}: ${change}` };
  }
  const context = { a, test, power, maxPairs, band, pValue, minPValue };
  return { ...base, decision: 'unknown', ...whatWouldResolve(n, estimate, edges, context) };
}

interface Context {
  a: number;
  test: PairedTestKind;
  power: number;
  maxPairs: number;
  band: string;
  pValue: number | null;
  minPValue: number | null;
}

/** Why a `t` estimate decided nothing, in one sentence. */
function whyUnknown(e: Extract<PairedRatio, { kind: 't' }>, edges: readonly [number, number], c: Context): string {
  const change = pairedChangeText(e, 2);
  const excludesOne = e.lo > 1 || e.hi < 1;
  const past = e.meanLog < edges[0] || e.meanLog > edges[1];
  if (excludesOne && past && c.minPValue !== null && c.minPValue >= c.a)
    return `${change} is past ${c.band}, but a sign-flip test on ${e.n} pairs cannot reach p < ${Number(c.a.toPrecision(2))} (its smallest p is ${Number(c.minPValue.toPrecision(3))})`;
  if (excludesOne && past)
    return `${change} is past ${c.band}, but the ${c.test} test does not agree (p = ${pText(c.pValue ?? 1)})`;
  if (excludesOne) return `a real change, ${change}, inside ${c.band}, but the interval reaches past it`;
  if (past) return `${change} is past ${c.band}, but the interval includes no change`;
  return `the interval, ${change}, is too wide to rule out a change past ${c.band}`;
}

/**
 * The reason, and the total pairs that would likely resolve it: to tell a change past the band from
 * none, enough pairs to detect |mean d| with the given power; to show equivalence, enough for the
 * interval to fit between the mean and the nearer edge of the band. Never fewer than 5 (an interval),
 * than the sign-flip test needs to reach alpha, or than n + 1.
 */
function whatWouldResolve(
  n: number,
  e: PairedRatio,
  edges: readonly [number, number],
  c: Context,
): Pick<PairedDecision, 'pairsNeeded' | 'exceedsCap' | 'reason'> {
  const floor = Math.max(n + 1, MIN_PAIRS_FOR_INTERVAL, c.test === 'sign-flip' ? minPairsForSignFlip(c.a) : 2);
  const reason =
    e.kind === 'none'
      ? `no usable pair${e.dropped > 0 ? ` (${e.dropped} dropped)` : ''}`
      : e.kind === 'range'
        ? `${n} pair${n === 1 ? '' : 's'} give${n === 1 ? 's' : ''} a range, not an interval (${MIN_PAIRS_FOR_INTERVAL} needed): ${pairedChangeText(e, 2)}`
        : whyUnknown(e, edges, c);
  if (e.kind === 'none' || e.sdLog === null) return { pairsNeeded: floor, exceedsCap: floor > c.maxPairs, reason };
  const m = e.meanLog;
  const past = m < edges[0] || m > edges[1];
  const target = past ? Math.abs(m) : Math.min(edges[1] - m, m - edges[0]);
  // A mean on the band's edge (or a zero threshold with no change) can never be resolved.
  const fromSd =
    target > 0 ? pairsForLogEffect(target, e.sdLog, { alpha: c.a, power: c.power, maxPairs: c.maxPairs }) : null;
  if (fromSd === null)
    return {
      pairsNeeded: null,
      exceedsCap: true,
      reason: `${reason}; more than ${c.maxPairs} pairs would likely be needed`,
    };
  const pairsNeeded = Math.max(floor, fromSd);
  return { pairsNeeded, exceedsCap: pairsNeeded > c.maxPairs, reason };
}
