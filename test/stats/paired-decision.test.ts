import { describe, expect, it } from 'vitest';
import { detectableLogEffect } from '../../bench/stats/detectable.ts';
import { pairLogRatios, type LogRatios } from '../../bench/stats/paired.ts';
import { decidePaired } from '../../bench/stats/paired-decision.ts';
import { alphaPerLook } from '../../bench/stats/sequential.ts';

/** Round-to-round noise on the log scale, mean exactly 0, sd ≈ 0.0046 (about ±0.5% per round). */
const NOISE = [0.004, -0.006, 0.002, 0.007, -0.003, -0.005, 0.001, 0.0];
/** Synthetic d_i: a true ratio times the noise pattern, cycled to `pairs` rounds and scaled. */
function logRatios(ratio: number, pairs = NOISE.length, noiseScale = 1): LogRatios {
  const d = Array.from({ length: pairs }, (_, i) => Math.log(ratio) + noiseScale * NOISE[i % NOISE.length]!);
  return { d, dropped: 0, droppedAt: [] };
}

describe('decidePaired on synthetic data (threshold ±5%, alpha 0.05, sign-flip test)', () => {
  it.each([
    { name: '+10%', ratio: 1.1, decision: 'different', direction: 'higher' },
    { name: '−10%', ratio: 0.9, decision: 'different', direction: 'lower' },
    { name: 'no change', ratio: 1, decision: 'same', direction: null },
    { name: '+2%: real, but inside the band', ratio: 1.02, decision: 'same', direction: null },
    { name: '+4.95%: the interval straddles the band edge', ratio: 1.0495, decision: 'unknown', direction: null },
  ])('$name → $decision', ({ ratio, decision, direction }) => {
    const r = decidePaired(logRatios(ratio), { threshold: 0.05 });
    expect(r.decision).toBe(decision);
    expect(r.direction).toBe(direction);
    expect(r.estimate).toMatchObject({ kind: 't', n: 8, confidence: 0.95 });
    if (decision !== 'unknown') expect(r.pairsNeeded).toBeNull();
  });

  it('calls +2% different when the threshold is 1% (the gate for counted work)', () => {
    const r = decidePaired(logRatios(1.02), { threshold: 0.01 });
    expect(r).toMatchObject({ decision: 'different', direction: 'higher' });
    expect(r.reason).toMatch(/^higher by \+2\.00% \(.*95% CI, n = 8\), past ±1%; sign-flip p = 0\.0078 < 0\.05$/);
  });

  it('gives up on a mean that sits at the band edge: more than maxPairs would be needed', () => {
    const r = decidePaired(logRatios(1.0495), { threshold: 0.05 });
    expect(r).toMatchObject({ decision: 'unknown', pairsNeeded: null, exceedsCap: true });
    expect(r.reason).toMatch(
      /^a real change, \+4\.95% .* inside ±5%, but the interval reaches past it; more than 200 pairs/,
    );
  });

  it('takes a threshold of 100% or more (--threshold p99=100): rises past it differ, any fall stays inside', () => {
    expect(decidePaired(logRatios(1.3), { threshold: 1 })).toMatchObject({ decision: 'same' });
    expect(decidePaired(logRatios(2.5), { threshold: 1 })).toMatchObject({
      decision: 'different',
      direction: 'higher',
    });
    expect(decidePaired(logRatios(0.3), { threshold: 1.5 })).toMatchObject({ decision: 'same' });
    expect(() => decidePaired(logRatios(1), { threshold: Number.NaN })).toThrow(RangeError);
  });

  it('never says same with a zero threshold', () => {
    const r = decidePaired({ d: [0, 0, 0, 0, 0, 0], dropped: 0 }, { threshold: 0 });
    expect(r).toMatchObject({ decision: 'unknown', pairsNeeded: null, exceedsCap: true });
  });
});

describe('too few pairs', () => {
  it.each([1, 2, 3, 4])('%i pair(s) of a clear +10%: a range, so unknown, with 6 pairs needed', (n) => {
    const r = decidePaired(logRatios(1.1, n), { threshold: 0.05 });
    expect(r.decision).toBe('unknown');
    expect(r.estimate.kind).toBe('range');
    expect(r.pairsNeeded).toBe(6);
    expect(r.reason).toMatch(/give?s? a range, not an interval \(5 needed\)/);
  });

  it('5 pairs of a clear +10%: the sign-flip test cannot reach 0.05, so unknown; 6 resolve it', () => {
    const five = decidePaired(logRatios(1.1, 5), { threshold: 0.05 });
    expect(five).toMatchObject({ decision: 'unknown', minPValue: 0.0625, pValue: 0.0625, pairsNeeded: 6 });
    expect(five.reason).toMatch(/sign-flip test on 5 pairs cannot reach p < 0\.05 \(its smallest p is 0\.0625\)/);
    expect(decidePaired(logRatios(1.1, 6), { threshold: 0.05 }).decision).toBe('different');
  });

  it('5 pairs with the t test instead: different', () => {
    const r = decidePaired(logRatios(1.1, 5), { threshold: 0.05, test: 't' });
    expect(r).toMatchObject({ decision: 'different', direction: 'higher', test: 't', minPValue: null });
    expect(r.pValue).toBeLessThan(1e-4);
  });

  it('carries dropped pairs into the estimate', () => {
    const base = [100, 100, null, 100, 100, 100, 100, 0, 100];
    const head = [110, 111, 110, 109, 110, 112, 108, 110, 110];
    const r = decidePaired(pairLogRatios(base, head), { threshold: 0.05 });
    expect(r.estimate).toMatchObject({ n: 7, dropped: 2 });
    expect(r.decision).toBe('different');
  });
});

describe('unknown says how many pairs would likely resolve it', () => {
  // +2% with ten times the noise (sd ≈ 4.6%): the interval is too wide to show it lies inside ±5%.
  const wide = logRatios(1.02, 8, 10);

  it('asks for more pairs, enough for the interval to fit between the mean and the band edge', () => {
    const r = decidePaired(wide, { threshold: 0.05 });
    expect(r.decision).toBe('unknown');
    expect(r.reason).toMatch(/too wide to rule out a change past ±5%/);
    expect(r.pairsNeeded).toBeGreaterThan(8);
    expect(r.exceedsCap).toBe(false);
    if (r.estimate.kind !== 't') throw new Error('expected a t estimate');
    const margin = Math.log(1.05) - r.estimate.meanLog;
    expect(detectableLogEffect(r.pairsNeeded!, r.estimate.sdLog!)).toBeLessThanOrEqual(margin);
    expect(detectableLogEffect(r.pairsNeeded! - 1, r.estimate.sdLog!)).toBeGreaterThan(margin);
  });

  it('and that many pairs of the same noise do resolve it', () => {
    const needed = decidePaired(wide, { threshold: 0.05 }).pairsNeeded!;
    expect(decidePaired(logRatios(1.02, needed, 10), { threshold: 0.05 }).decision).toBe('same');
  });
});

describe('looking more than once (sequential.ts)', () => {
  it('splits alpha over the looks: 0.05 over 3 looks is 0.0167 each', () => {
    expect(alphaPerLook(0.05, 3)).toBeCloseTo(0.05 / 3, 15);
    expect(() => alphaPerLook(0.05, 0)).toThrow(RangeError);
    expect(() => alphaPerLook(0.05, 1.5)).toThrow(RangeError);
  });

  it('widens the interval to 1 − alpha/looks and needs 7 pairs for the sign-flip test', () => {
    const six = decidePaired(logRatios(1.1, 6), { threshold: 0.05, maxLooks: 3 });
    expect(six.estimate).toMatchObject({ kind: 't', confidence: 1 - 0.05 / 3 });
    expect(six).toMatchObject({ decision: 'unknown', pairsNeeded: 7 });
    expect(decidePaired(logRatios(1.1, 7), { threshold: 0.05, maxLooks: 3 }).decision).toBe('different');
    expect(decidePaired(logRatios(1, 8), { threshold: 0.05, maxLooks: 3 }).reason).toMatch(
      /^the 98\.3% CI lies within ±5%/,
    );
  });
});

describe('input checks', () => {
  it.each([-0.01, Number.POSITIVE_INFINITY, Number.NaN])('refuses threshold %s', (threshold) => {
    expect(() => decidePaired(logRatios(1), { threshold })).toThrow(RangeError);
  });
});
