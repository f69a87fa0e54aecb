import { describe, expect, it } from 'vitest';
import { metricById } from '../../bench/compare/metrics.ts';
import { judgeErrors, judgeExact, PG_STAT_STATEMENTS_HINT } from '../../bench/compare/verdict-exact.ts';
import { judgeStatistical } from '../../bench/compare/verdict-statistical.ts';

/** Known samples: a base of 8 rounds with ±1% spread, and heads derived from it. */
const BASE = [1000, 1004, 996, 1010, 990, 1002, 998, 1006];
const scale = (xs: number[], f: number) => xs.map((x) => x * f);
const WIDE = [700, 1300, 900, 1250, 800, 1150, 1000, 1400];
const cpu = metricById('serverCpuUsPerRequest');
const rps = metricById('requestsPerSec');

describe('judgeStatistical', () => {
  it.each([
    { name: 'identical samples', head: BASE, paired: false, verdict: 'unchanged' },
    { name: 'identical samples, paired', head: BASE, paired: true, verdict: 'unchanged' },
    { name: 'CPU +30% (worse)', head: scale(BASE, 1.3), paired: false, verdict: 'regressed' },
    { name: 'CPU +30%, paired', head: scale(BASE, 1.3), paired: true, verdict: 'regressed' },
    { name: 'CPU −30% (better)', head: scale(BASE, 0.7), paired: false, verdict: 'improved' },
    { name: 'CPU +2%: real but within the 5% threshold', head: scale(BASE, 1.02), paired: false, verdict: 'unchanged' },
    { name: 'wide head', head: WIDE, paired: false, verdict: 'inconclusive' },
  ])('$name → $verdict', ({ head, paired, verdict }) => {
    const row = judgeStatistical(cpu, BASE, head, paired, cpu.thresholdPct);
    expect(row.verdict).toBe(verdict);
  });

  it('reads direction: req/s falling 30% is a regression, rising 30% an improvement', () => {
    expect(judgeStatistical(rps, BASE, scale(BASE, 0.7), false, 5).verdict).toBe('regressed');
    expect(judgeStatistical(rps, BASE, scale(BASE, 1.3), false, 5).verdict).toBe('improved');
  });

  it('reports the ratio, its interval, the test and the smallest detectable change', () => {
    const row = judgeStatistical(cpu, BASE, scale(BASE, 1.3), false, 5);
    expect(row.ratio!.median).toBeCloseTo(1.3, 6);
    expect(row.ratio!.ci95![0]).toBeGreaterThan(1.05);
    expect(row.pValue).toBeLessThan(0.05);
    expect(row.rankTest).toBe('exact');
    expect(row.minDetectablePct).toBeGreaterThan(0);
    expect(row.reason).toMatch(/past the 5% threshold/);
  });

  it('says why a wide interval is inconclusive and how many rounds would resolve it', () => {
    const row = judgeStatistical(cpu, BASE, WIDE, false, 5);
    expect(row.reason).toMatch(/interval/);
    expect(row.roundsNeeded).toBeGreaterThan(BASE.length);
  });

  it('is inconclusive with fewer than 3 rounds on a side, whatever the shift', () => {
    const row = judgeStatistical(cpu, BASE.slice(0, 2), scale(BASE.slice(0, 2), 2), false, 5);
    expect(row.verdict).toBe('inconclusive');
    expect(row.reason).toMatch(/fewer than 3 rounds per side \(base 2, head 2\)/);
  });

  it('cannot call a regression with 3 rounds per side: the rank test never reaches p < 0.05', () => {
    const row = judgeStatistical(cpu, BASE.slice(0, 3), scale(BASE.slice(0, 3), 1.5), false, 5);
    expect(row.verdict).toBe('inconclusive');
    expect(row.reason).toMatch(/rank test does not/);
  });

  it('gives the same numbers for the same input (seeded bootstrap)', () => {
    expect(judgeStatistical(cpu, BASE, WIDE, false, 5)).toEqual(judgeStatistical(cpu, BASE, WIDE, false, 5));
  });
});

describe('exact and error metrics', () => {
  const queries = metricById('queriesPerRequest');
  const errors = metricById('errorShare');
  it.each([
    { base: [1, 1, 1], head: [2, 2, 2], verdict: 'regressed' },
    { base: [2, 2, 2], head: [1, 1, 1], verdict: 'improved' },
    { base: [1, 1, 1], head: [1.001, 1, 1.002], verdict: 'unchanged' },
    { base: [1], head: [1.5], verdict: 'regressed' }, // a count needs no 3 rounds
    { base: [1, 1, 1], head: [null, null, null], verdict: 'n/a' },
  ])('queries/request $base → $head: $verdict', ({ base, head, verdict }) => {
    expect(judgeExact(queries, base, head, 0).verdict).toBe(verdict);
  });

  it('explains n/a with how to load pg_stat_statements', () => {
    expect(judgeExact(queries, [null], [null], 0).reason).toBe(PG_STAT_STATEMENTS_HINT);
  });

  it.each([
    { base: [0, 0, 0, 0], head: [0, 0, 0, 0], verdict: 'unchanged' },
    { base: [0, 0, 0, 0], head: [0, 0.001, 0, 0], verdict: 'regressed' },
    { base: [0.01, 0.02, 0.01, 0.01], head: [0, 0, 0, 0], verdict: 'improved' },
    { base: [0.01, 0.011, 0.009, 0.01], head: [0.01, 0.0105, 0.0095, 0.01], verdict: 'unchanged' },
  ])('errors $base → $head: $verdict', ({ base, head, verdict }) => {
    expect(judgeErrors(errors, base, head, false, 0).verdict).toBe(verdict);
  });
});
