import { describe, expect, it } from 'vitest';
import { BOOTSTRAP, median, medianCi, mulberry32, quantileSorted, ratioCi } from '../../bench/stats/bootstrap.ts';

describe('median', () => {
  it.each([
    { samples: [7], expected: 7 },
    { samples: [3, 1, 2], expected: 2 },
    { samples: [4, 1, 3, 2], expected: 2.5 },
    { samples: [5, 5, 5], expected: 5 },
    { samples: [10, -2, 8, 100, 9], expected: 9 },
  ])('of $samples is $expected', ({ samples, expected }) => {
    expect(median(samples)).toBe(expected);
  });

  it.each([{ samples: [] }, { samples: [1, Number.NaN] }])('rejects $samples', ({ samples }) => {
    expect(() => median(samples)).toThrow(RangeError);
  });
});

describe('quantileSorted (type 7)', () => {
  it.each([
    { q: 0, expected: 10 },
    { q: 0.5, expected: 25 },
    { q: 1, expected: 40 },
    { q: 0.25, expected: 17.5 },
  ])('q=$q of [10,20,30,40] is $expected', ({ q, expected }) => {
    expect(quantileSorted([10, 20, 30, 40], q)).toBeCloseTo(expected, 10);
  });
});

describe('mulberry32', () => {
  it('repeats its sequence for the same seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

const NOISY = [10_250, 9_980, 10_410, 10_120, 9_870, 10_300, 10_050];

describe('medianCi', () => {
  it.each([{ samples: [10_000] }, { samples: [10_000, 11_000] }])(
    'has no interval with $samples.length sample(s)',
    ({ samples }) => {
      const e = medianCi(samples);
      expect(e.median).toBe(median(samples));
      expect(e.ci95).toBeNull();
    },
  );

  it.each([
    { name: '3 rounds', samples: [9_800, 10_000, 10_300] },
    { name: '7 rounds', samples: NOISY },
    { name: 'an outlier', samples: [100, 101, 102, 99, 500] },
  ])('gives the exact median and an interval that contains it ($name)', ({ samples }) => {
    const e = medianCi(samples);
    expect(e.median).toBe(median(samples));
    const [lo, hi] = e.ci95!;
    expect(lo).toBeLessThanOrEqual(e.median);
    expect(hi).toBeGreaterThanOrEqual(e.median);
    expect(lo).toBeGreaterThanOrEqual(Math.min(...samples));
    expect(hi).toBeLessThanOrEqual(Math.max(...samples));
  });

  it('is deterministic: the same samples give the same interval', () => {
    expect(medianCi(NOISY)).toEqual(medianCi([...NOISY]));
  });

  it('collapses to a point for identical samples', () => {
    expect(medianCi([5, 5, 5, 5])).toEqual({ median: 5, ci95: [5, 5] });
  });

  it('uses the documented method constants', () => {
    expect(BOOTSTRAP).toMatchObject({ resamples: 2000, minSamples: 3, confidence: 0.95 });
  });
});

describe('ratioCi', () => {
  it('is exact for noiseless groups', () => {
    expect(ratioCi([200, 200, 200], [100, 100, 100])).toEqual({ median: 2, ci95: [2, 2] });
  });

  it('gives the ratio of medians without an interval when a group has fewer than 3 samples', () => {
    expect(ratioCi([300, 100], [100, 100, 100])).toEqual({ median: 2, ci95: null });
  });

  it('is null when the denominator median is 0', () => {
    expect(ratioCi([1, 2, 3], [0, 0, 0])).toBeNull();
  });

  it('brackets the ratio of medians and is deterministic', () => {
    const faster = NOISY.map((x) => x * 1.3);
    const r = ratioCi(faster, NOISY)!;
    expect(r.median).toBeCloseTo(1.3, 10);
    expect(r.ci95![0]).toBeLessThanOrEqual(r.median);
    expect(r.ci95![1]).toBeGreaterThanOrEqual(r.median);
    expect(r.ci95![0]).toBeGreaterThan(1); // 30% apart with ~2% noise: clearly different
    expect(ratioCi(faster, NOISY)).toEqual(r);
  });
});
