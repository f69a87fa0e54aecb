import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencyUs } from '../results/types.ts';

export type { Histogram };

/**
 * Latency histograms in MICROSECONDS. autocannon's own histogram keeps whole milliseconds, which erases
 * the differences between drivers (a point lookup takes well under 1 ms), so every response time goes
 * into one of these instead (DESIGN.md "How we measure" 4).
 */
export const LATENCY_RANGE_US = {
  lowest: 1, // 1 µs
  highest: 60_000_000, // 60 s: past any request timeout we use
  significantDigits: 3, // values within 0.1% of each other are told apart
} as const;

/** An empty latency histogram (pure-JS build: the wasm one needs async init and explicit destroy()). */
export function createLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: LATENCY_RANGE_US.lowest,
    highestTrackableValue: LATENCY_RANGE_US.highest,
    numberOfSignificantValueDigits: LATENCY_RANGE_US.significantDigits,
    autoResize: false,
    useWebAssembly: false,
  });
}

/**
 * Records one latency in µs. Sub-microsecond values count as 1 µs and values past 60 s as 60 s
 * (clamped, not dropped: a request that took forever must still weigh on the tail).
 */
export function recordLatencyUs(h: Histogram, latencyUs: number, count = 1): void {
  if (!Number.isFinite(latencyUs)) return;
  const value = Math.min(LATENCY_RANGE_US.highest, Math.max(LATENCY_RANGE_US.lowest, Math.round(latencyUs)));
  h.recordValueWithCount(value, count);
}

/** Compressed base64 (HdrHistogram V2 encoding): what the results file stores per round. */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** The inverse of encodeHistogram; an empty string (nothing recorded) gives an empty histogram. */
export function decodeHistogram(encoded: string): Histogram {
  if (encoded.trim() === '') return createLatencyHistogram();
  return decodeFromCompressedBase64(encoded, 32, false);
}

/** Merges encoded histograms (rounds, processes, k6 instances) into one; empty strings are skipped. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const merged = createLatencyHistogram();
  for (const e of encoded) {
    if (e.trim() === '') continue;
    merged.add(decodeHistogram(e));
  }
  return merged;
}

/**
 * The percentiles the results file and reports use, in µs; all zero for an empty histogram.
 * `max` is read like the percentiles (the top of the largest value's bucket, within 0.1%), not from
 * `maxValue`, which is exact for a live histogram but bucketed once decoded: a round's numbers must
 * not change between the runner's histogram and the one read back from the results file.
 */
export function percentilesUs(h: Histogram): LatencyUs {
  return {
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p95: h.getValueAtPercentile(95),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.getValueAtPercentile(100),
  };
}
