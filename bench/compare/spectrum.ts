import { mergeEncoded } from '../stats/histogram.ts';

/**
 * The latency percentile spectrum of one side: every round's HDR histogram merged (every response),
 * then the value at percentiles spaced evenly in "nines", x = log10(1 / (1 − p)): 0 → 0%, 1 → 90%,
 * 2 → 99%, 3 → 99.9% … as HdrHistogram's plotter draws it. The curve stops where the data does: with
 * N responses, percentiles past 1 − 1/N say nothing more than the max.
 */
export interface SpectrumPoint {
  nines: number; // log10(1 / (1 − percentile/100))
  percentile: number; // 0..100
  latencyUs: number;
}

export interface Spectrum {
  responses: number;
  maxUs: number;
  points: SpectrumPoint[];
}

const STEP_NINES = 0.1;
const MAX_NINES = 6; // 99.9999%

export function latencySpectrum(encoded: readonly string[]): Spectrum | null {
  const h = mergeEncoded(encoded);
  if (h.totalCount === 0) return null;
  const lastNines = Math.min(MAX_NINES, Math.log10(h.totalCount));
  const points: SpectrumPoint[] = [];
  for (let i = 0; i * STEP_NINES <= lastNines + 1e-9; i++) {
    const nines = Number((i * STEP_NINES).toFixed(2));
    const percentile = 100 * (1 - 10 ** -nines);
    points.push({ nines, percentile, latencyUs: h.getValueAtPercentile(percentile) });
  }
  return { responses: h.totalCount, maxUs: h.getValueAtPercentile(100), points };
}

/** "99.9%" for a whole number of nines. */
export function ninesLabel(nines: number): string {
  if (nines === 0) return '0%';
  return `${(100 * (1 - 10 ** -nines)).toFixed(Math.max(0, nines - 2))}%`;
}
