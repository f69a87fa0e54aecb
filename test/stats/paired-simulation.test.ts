import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/prng.ts';
import { detectableLogEffect } from '../../bench/stats/detectable.ts';
import { pairedLogRatio, type LogRatios } from '../../bench/stats/paired.ts';
import { decidePaired } from '../../bench/stats/paired-decision.ts';
import { pairedTTest } from '../../bench/stats/paired-t.ts';
import { signFlipTest } from '../../bench/stats/sign-flip.ts';

/**
 * Seeded simulations: do the intervals and tests do what they claim? Correctness, not speed. Every
 * figure is deterministic for its seed; the tolerances are 2–3 binomial standard errors of 2,000 trials
 * (√(0.05·0.95/2000) ≈ 0.005) around the expected rate. Observed with these seeds: coverage 95.2% (ratio
 * 1) and 96.1% (1.05); false alarms 4.9% (t) and 3.3% (sign flip); power 79.2%; three looks 1.9% with
 * alpha/3 per look against 7.8% with 5% per look.
 */
const DESIGNS = 2000;

/** Standard normal draws from the project's seeded PRNG (Box–Muller). */
function normals(seed: number): () => number {
  const rng = createRng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * One interleaved design of `rounds` rounds: each round's machine state moves both sides alike (drift,
 * sd 7% as on a shared 2-core machine, DESIGN rule 11), and each side has its own noise (sd 2%).
 */
function design(z: () => number, rounds: number, trueRatio: number) {
  const base: number[] = [];
  const head: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const drift = 0.07 * z();
    base.push(10_000 * Math.exp(drift + 0.02 * z()));
    head.push(10_000 * trueRatio * Math.exp(drift + 0.02 * z()));
  }
  return { base, head };
}

describe('the 95% t interval of the paired log-ratio covers the truth about 95% of the time', () => {
  it.each([
    { trueRatio: 1, seed: 11 },
    { trueRatio: 1.05, seed: 12 },
  ])('2,000 designs of 6 rounds, true ratio $trueRatio', ({ trueRatio, seed }) => {
    const z = normals(seed);
    let covered = 0;
    let sdSum = 0;
    for (let k = 0; k < DESIGNS; k++) {
      const { base, head } = design(z, 6, trueRatio);
      const r = pairedLogRatio(base, head);
      if (r.kind !== 't') throw new Error('6 pairs must give a t interval');
      if (r.lo <= trueRatio && trueRatio <= r.hi) covered++;
      sdSum += r.sdLog!;
    }
    expect(covered / DESIGNS).toBeGreaterThan(0.92);
    expect(covered / DESIGNS).toBeLessThan(0.98);
    // The drift (7%) cancels in the pairing: what is left is the two sides' own noise, 2%·√2 ≈ 2.8%
    // (the mean sample sd sits a little below σ: c4(6) = 0.952).
    expect(sdSum / DESIGNS).toBeGreaterThan(0.025);
    expect(sdSum / DESIGNS).toBeLessThan(0.029);
  });
});

describe('false alarms under no change, 2,000 designs of 6 rounds', () => {
  const z = normals(21);
  const d = Array.from({ length: DESIGNS }, () => {
    const { base, head } = design(z, 6, 1);
    return base.map((b, i) => Math.log(head[i]! / b));
  });

  it('the paired t test rejects about 5%', () => {
    const rate = d.filter((x) => pairedTTest(x)!.pValue < 0.05).length / DESIGNS;
    expect(rate).toBeGreaterThan(0.035);
    expect(rate).toBeLessThan(0.065);
  });

  it('the sign-flip test rejects about 2/64 = 3.1%: its only p below 0.05 with 6 pairs is 0.03125', () => {
    const rate = d.filter((x) => signFlipTest(x).pValue < 0.05).length / DESIGNS;
    expect(rate).toBeGreaterThan(0.018);
    expect(rate).toBeLessThan(0.045);
  });
});

describe('the smallest detectable change is detected as often as promised', () => {
  it('a true effect of detectableLogEffect(10, sd, 80% power) is caught in about 80% of 2,000 designs', () => {
    const sd = 0.03;
    const effect = detectableLogEffect(10, sd, { power: 0.8 });
    const z = normals(31);
    let caught = 0;
    for (let k = 0; k < DESIGNS; k++) {
      const d = Array.from({ length: 10 }, () => effect + sd * z());
      if (pairedTTest(d)!.pValue < 0.05) caught++;
    }
    // Exact power at this effect is 0.797 (the approximation is 0.13% low at n = 10; detectable.test.ts).
    expect(caught / DESIGNS).toBeGreaterThan(0.77);
    expect(caught / DESIGNS).toBeLessThan(0.83);
  });
});

describe('sequential extension: three looks on growing data, no change', () => {
  // Looks at 6, 9 and 12 pairs with threshold 0 (any significant change is "different").
  const LOOKS = [6, 9, 12];
  function falseAlarms(maxLooks: number, seed: number): number {
    const z = normals(seed);
    let alarms = 0;
    for (let k = 0; k < DESIGNS; k++) {
      const d = Array.from({ length: 12 }, () => 0.03 * z());
      const ratios = (n: number): LogRatios => ({ d: d.slice(0, n), dropped: 0, droppedAt: [] });
      if (LOOKS.some((n) => decidePaired(ratios(n), { threshold: 0, maxLooks }).decision === 'different')) alarms++;
    }
    return alarms / DESIGNS;
  }

  it('alpha/3 per look keeps the false "different" rate at or below 5%; 5% per look does not', () => {
    const split = falseAlarms(3, 41);
    const naive = falseAlarms(1, 41);
    expect(split).toBeLessThan(0.055);
    expect(naive).toBeGreaterThan(0.065);
    expect(naive).toBeGreaterThan(split);
  });
});
