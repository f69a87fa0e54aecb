import { describe, expect, it } from 'vitest';
import {
  confidenceText,
  intervalKindText,
  pairedChangeText,
  pairedRatioText,
  signedPercent,
  roundsIntervalText,
} from '../../bench/stats/interval-text.ts';
import { summarizeLogRatios, type PairedRatio } from '../../bench/stats/paired.ts';

const common = { meanLog: Math.log(1.08), sdLog: 0.05, ratio: 1.08 };
const T8: PairedRatio = { kind: 't', confidence: 0.95, lo: 1.02, hi: 1.15, n: 8, dropped: 0, ...common };
const RANGE3: PairedRatio = { kind: 'range', lo: 1.01, hi: 1.19, n: 3, dropped: 0, ...common };

describe('the words a report prints for a paired result', () => {
  it.each([
    {
      name: 't, 8 pairs',
      r: T8,
      ratio: '1.08× (1.02–1.15, 95% CI, n = 8)',
      change: '+8.0% (+2.0% … +15.0%, 95% CI, n = 8)',
    },
    {
      name: 'range, 3 pairs',
      r: RANGE3,
      ratio: '1.08× (range 1.01–1.19, n = 3)',
      change: '+8.0% (range +1.0% … +19.0%, n = 3)',
    },
    {
      name: 'dropped pairs',
      r: { ...T8, dropped: 2 },
      ratio: '1.08× (1.02–1.15, 95% CI, n = 8, 2 dropped)',
      change: '+8.0% (+2.0% … +15.0%, 95% CI, n = 8, 2 dropped)',
    },
    {
      name: 'one pair',
      r: { ...RANGE3, n: 1, lo: 1.08, hi: 1.08, sdLog: null },
      ratio: '1.08× (no interval, n = 1)',
      change: '+8.0% (no interval, n = 1)',
    },
    {
      name: 'no pairs',
      r: { kind: 'none', n: 0, dropped: 3 },
      ratio: 'n/a (no pairs, 3 dropped)',
      change: 'n/a (no pairs, 3 dropped)',
    },
    {
      name: 'a decrease at 3 looks',
      r: { ...T8, ratio: 0.96, lo: 0.931, hi: 0.99, confidence: 1 - 0.05 / 3 },
      ratio: '0.96× (0.93–0.99, 98.3% CI, n = 8)',
      change: '−4.0% (−6.9% … −1.0%, 98.3% CI, n = 8)',
    },
  ] as { name: string; r: PairedRatio; ratio: string; change: string }[])('$name', ({ r, ratio, change }) => {
    expect(pairedRatioText(r)).toBe(ratio);
    expect(pairedChangeText(r)).toBe(change);
  });

  it('takes more digits for a fine threshold', () => {
    const r: PairedRatio = { ...T8, ratio: 1.0042, lo: 1.0011, hi: 1.0073 };
    expect(pairedRatioText(r, 3)).toBe('1.004× (1.001–1.007, 95% CI, n = 8)');
    expect(pairedChangeText(r, 2)).toBe('+0.42% (+0.11% … +0.73%, 95% CI, n = 8)');
  });

  it.each([
    { c: 0.95, text: '95%' },
    { c: 0.9, text: '90%' },
    { c: 1 - 0.05 / 3, text: '98.3%' },
    { c: 0.999, text: '99.9%' },
  ])('names confidence $c "$text"', ({ c, text }) => {
    expect(confidenceText(c)).toBe(text);
  });

  it('signs percents with a true minus', () => {
    expect(signedPercent(1.123)).toBe('+12.3%');
    expect(signedPercent(0.96)).toBe('−4.0%');
  });
});

describe('below 5 pairs no words say "CI" (DESIGN rule 13)', () => {
  it.each([1, 2, 3, 4])('%i pair(s), whatever the confidence asked for', (n) => {
    const d = [0.08, 0.01, 0.17, 0.05].slice(0, n);
    for (const confidence of [0.9, 0.95, 0.99]) {
      const r = summarizeLogRatios({ d, dropped: 0 }, confidence);
      for (const words of [pairedRatioText(r), pairedChangeText(r), intervalKindText(r)]) {
        expect(words).not.toMatch(/CI|confidence|%\s*interval/);
      }
      expect(intervalKindText(r)).toBe(n === 1 ? 'no interval' : 'range');
    }
  });

  it('and from 5 pairs they name the confidence', () => {
    const r = summarizeLogRatios({ d: [0.08, 0.01, 0.17, 0.05, 0.1], dropped: 0 });
    expect(intervalKindText(r)).toBe('95% CI');
    expect(pairedRatioText(r)).toMatch(/, 95% CI, n = 5\)$/);
  });
});

describe('roundsIntervalText: what a median over n rounds can claim', () => {
  it.each([
    [1, 'no interval, n = 1'],
    [2, 'no interval, n = 2'],
    [3, 'range, n = 3'],
    [4, 'range, n = 4'],
    [5, '95% CI'],
    [12, '95% CI'],
  ])('%i rounds: "%s"', (rounds, text) => {
    expect(roundsIntervalText(rounds)).toBe(text);
  });
});
