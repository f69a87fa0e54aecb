import { describe, expect, it } from 'vitest';
import { claimedRatio } from '../../bench/kinds/adr/claims.ts';
import { formatChange, formatMeasured, formatValue } from '../../bench/kinds/adr/format.ts';
import { judge } from '../../bench/kinds/adr/verdict.ts';
import type { Estimate } from '../../bench/results/types.ts';

const ms = (n: number) => formatValue('ms', n);
const est = (median: number, lo: number, hi: number): Estimate => ({ median, ci95: [lo, hi] });

describe('the verdict rule: "~v" is the band [v/2, 2v], judged against the 95% CI', () => {
  it.each([
    {
      case: 'interval inside the band',
      estimate: 50,
      measured: est(40, 30, 60),
      verdict: 'confirmed',
      why: /95% CI 30\.00 ms to 60\.00 ms lies inside 25\.00 ms to 100\.0 ms/,
    },
    {
      case: 'interval touching both edges',
      estimate: 50,
      measured: est(50, 25, 100),
      verdict: 'confirmed',
      why: /inside/,
    },
    {
      case: 'interval entirely below',
      estimate: 50,
      measured: est(1.2, 1.1, 1.3),
      verdict: 'refuted',
      why: /1\.100 ms to 1\.300 ms lies entirely below 25\.00 ms to 100\.0 ms/,
    },
    {
      case: 'interval entirely above',
      estimate: 200,
      measured: est(900, 450, 1200),
      verdict: 'refuted',
      why: /entirely above 100\.0 ms to 400\.0 ms/,
    },
    {
      case: 'interval straddling the low edge',
      estimate: 50,
      measured: est(30, 20, 40),
      verdict: 'inconclusive',
      why: /straddles the edge/,
    },
    {
      case: 'interval straddling the high edge',
      estimate: 50,
      measured: est(90, 80, 120),
      verdict: 'inconclusive',
      why: /straddles/,
    },
    {
      case: 'interval wider than the band',
      estimate: 50,
      measured: est(50, 10, 500),
      verdict: 'inconclusive',
      why: /straddles/,
    },
    {
      case: 'fewer than 3 rounds',
      estimate: 50,
      measured: { median: 49, ci95: null },
      verdict: 'inconclusive',
      why: /fewer than 3 rounds/,
    },
    { case: 'nothing measured', estimate: 50, measured: null, verdict: 'inconclusive', why: /not measured/ },
  ])('$case: $verdict', ({ estimate, measured, verdict, why }) => {
    const j = judge(estimate, measured as Estimate | null, ms);
    expect(j.verdict).toBe(verdict);
    expect(j.why).toMatch(why);
    expect(j.band).toEqual([estimate / 2, estimate * 2]);
  });

  it.each([
    { claim: 'latency-p99', measured: est(0.35, 0.3, 0.5), verdict: 'confirmed' }, // -65% (-70% to -50%) within -80%..-20%
    { claim: 'latency-p99', measured: est(0.98, 0.9, 1.1), verdict: 'refuted' }, // no change: entirely above 0.8
    { claim: 'latency-p99', measured: est(0.6, 0.5, 1.2), verdict: 'inconclusive' },
    { claim: 'throughput', measured: est(1.8, 1.5, 2.1), verdict: 'refuted' }, // +80%, the claim said +400% (band 2.5..10)
    { claim: 'throughput', measured: est(4.1, 3, 6), verdict: 'confirmed' },
    { claim: 'throughput', measured: est(12, 11, 14), verdict: 'refuted' }, // far more than claimed is a wrong estimate too
    { claim: 'max-connections', measured: est(3, 1, 30), verdict: 'inconclusive' },
  ] as const)('a claimed gain ($claim) judged on the ratio async ÷ sync: $verdict', ({ claim, measured, verdict }) => {
    expect(judge(claimedRatio(claim), measured, formatChange).verdict).toBe(verdict);
  });

  it('states the gain band as relative changes, as the ADR writes them', () => {
    expect(judge(claimedRatio('throughput'), est(1.8, 1.5, 2.1), formatChange).why).toBe(
      '95% CI +50% to +110% lies entirely below +150% to +900%',
    );
  });

  // DESIGN rule 13: a range of 3 or 4 rounds is not a 95% interval and supports no verdict
  it.each([
    [3, 'range, n = 3 30.00 ms to 60.00 ms lies inside 25.00 ms to 100.0 ms; a range of 3 rounds supports no verdict'],
    [4, 'range, n = 4 30.00 ms to 60.00 ms lies inside 25.00 ms to 100.0 ms; a range of 4 rounds supports no verdict'],
  ])('gives no verdict from the range of %i rounds, and says where it lies', (rounds, why) => {
    expect(judge(50, est(40, 30, 60), ms, 2, rounds)).toEqual({ verdict: 'inconclusive', band: [25, 100], why });
    expect(judge(50, est(40, 30, 60), ms, 2, 5).verdict).toBe('confirmed');
  });

  it('rejects an estimate or factor that cannot define a band', () => {
    expect(() => judge(0, null, ms)).toThrow(RangeError);
    expect(() => judge(10, null, ms, 1)).toThrow(RangeError);
  });
});

describe('ADR number formatting', () => {
  it.each([
    [0.4, '-60%'],
    [5, '+400%'],
    [10, '+900%'],
    [1, '0.0%'],
    [0.99996, '0.0%'],
    [1.05, '+5.0%'],
    [0.95, '-5.0%'],
    [1.123, '+12%'],
  ])('ratio %f reads as %s', (ratio, text) => {
    expect(formatChange(ratio)).toBe(text);
  });

  it.each([
    ['ms', 0.4123, '0.412 ms'],
    ['ms', 12.345, '12.35 ms'],
    ['ms', 1234.5, '1,235 ms'],
    ['req/s', 1234.4, '1,234 req/s'],
    ['req/s', 55.55, '55.5 req/s'],
    ['connections', 2048, '2,048 conn'],
    ['µs/req', 512.4, '512 µs/req'],
  ])('%s value %f prints as %s', (unit, n, text) => {
    expect(formatValue(unit, n)).toBe(text);
  });

  it('prints a median with its interval, or says there is none', () => {
    expect(formatMeasured(est(2, 1, 3), ms)).toBe('2.000 ms [1.000 ms, 3.000 ms]');
    expect(formatMeasured({ median: 2, ci95: null }, ms)).toBe('2.000 ms');
    expect(formatMeasured(null, ms)).toBe('–');
  });
});
