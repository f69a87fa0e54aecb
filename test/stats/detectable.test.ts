import { describe, expect, it } from 'vitest';
import { detectableLogEffect, pairsForLogEffect, smallestDetectableChange } from '../../bench/stats/detectable.ts';
import { studentTQuantile } from '../../bench/stats/student-t.ts';

/**
 * Exact detectable effects of a two-sided one-sample (paired) t test at 5%, in sd units, from the
 * noncentral t: δ such that P(|T'| > t_{0.975,n−1}) = power with T' ~ nct(n − 1, δ√n)
 * (scipy.stats.nct 1.10, solved with scipy.optimize.brentq when this test was written).
 */
const EXACT = [
  { n: 5, power: 0.8, delta: 1.681997 },
  { n: 5, power: 0.9, delta: 1.965889 },
  { n: 6, power: 0.8, delta: 1.434545 },
  { n: 6, power: 0.9, delta: 1.670424 },
  { n: 8, power: 0.8, delta: 1.156035 },
  { n: 8, power: 0.9, delta: 1.341802 },
  { n: 10, power: 0.8, delta: 0.996001 },
  { n: 10, power: 0.9, delta: 1.154565 },
  { n: 20, power: 0.8, delta: 0.660442 },
  { n: 20, power: 0.9, delta: 0.764458 },
  { n: 30, power: 0.8, delta: 0.529236 },
  { n: 30, power: 0.9, delta: 0.612445 },
];

describe('detectableLogEffect', () => {
  it.each(EXACT)(
    'is within 2.1% below the exact noncentral-t effect at n = $n, power $power (within 0.5% from n = 8)',
    ({ n, power, delta }) => {
      const relative = detectableLogEffect(n, 1, { power }) / delta - 1;
      expect(relative).toBeGreaterThan(-0.021);
      expect(relative).toBeLessThan(0.001);
      if (n >= 8) expect(Math.abs(relative)).toBeLessThan(0.005);
    },
  );

  // By hand: n = 10, sd 0.05: (t_{0.975,9} + t_{0.8,9})·0.05/√10 = (2.2621572 + 0.8834039)·0.0158114 = 0.0497357;
  // e^0.0497357 − 1 = +5.0993%, 1 − e^−0.0497357 = −4.8519%.
  it('gives "sees ±5.1% at 80% power" for 10 pairs with sd 0.05', () => {
    const c = smallestDetectableChange(10, 0.05, { power: 0.8 });
    expect(c.logEffect).toBeCloseTo(0.0497357, 7);
    expect(c.increase).toBeCloseTo(0.050993, 6);
    expect(c.decrease).toBeCloseTo(0.048519, 6);
  });

  it('at power ½ is the t interval’s half-width', () => {
    expect(detectableLogEffect(6, 0.03, { power: 0.5 })).toBeCloseTo(
      (studentTQuantile(0.975, 5) * 0.03) / Math.sqrt(6),
      15,
    );
  });

  it('shrinks with more pairs, grows with more power and a smaller alpha', () => {
    expect(detectableLogEffect(12, 0.05)).toBeLessThan(detectableLogEffect(6, 0.05));
    expect(detectableLogEffect(6, 0.05, { power: 0.9 })).toBeGreaterThan(detectableLogEffect(6, 0.05, { power: 0.8 }));
    expect(detectableLogEffect(6, 0.05, { alpha: 0.01 })).toBeGreaterThan(detectableLogEffect(6, 0.05));
  });

  it('is Infinity below 2 pairs and refuses nonsense', () => {
    expect(detectableLogEffect(1, 0.05)).toBe(Infinity);
    expect(() => detectableLogEffect(6, -1)).toThrow(RangeError);
    expect(() => detectableLogEffect(6, 0.05, { power: 0.3 })).toThrow(RangeError);
    expect(() => detectableLogEffect(6, 0.05, { alpha: 0 })).toThrow(RangeError);
  });
});

describe('pairsForLogEffect', () => {
  // n = 9: (2.3060 + 0.8889)·0.05/3 = 0.05325 > 0.05; n = 10: 0.04974 ≤ 0.05 (above).
  it('finds 10 pairs for a 5% log effect with sd 0.05 at 80% power', () => {
    expect(pairsForLogEffect(0.05, 0.05)).toBe(10);
    expect(pairsForLogEffect(-0.05, 0.05)).toBe(10);
  });

  it.each([
    { effect: 0.02, sd: 0.07 },
    { effect: 0.1, sd: 0.02 },
    { effect: 0.005, sd: 0.003 },
  ])('is the fewest pairs that reach effect $effect with sd $sd', ({ effect, sd }) => {
    const n = pairsForLogEffect(effect, sd)!;
    expect(detectableLogEffect(n, sd)).toBeLessThanOrEqual(effect);
    if (n > 2) expect(detectableLogEffect(n - 1, sd)).toBeGreaterThan(effect);
  });

  it('is null when more than maxPairs would be needed', () => {
    expect(pairsForLogEffect(0.001, 0.05)).toBeNull();
    expect(pairsForLogEffect(0.02, 0.07, { maxPairs: 50 })).toBeNull();
  });
});
