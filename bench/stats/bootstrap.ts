import { createRng } from '../../shared/prng.ts';
import type { Estimate } from '../results/types.ts';

/**
 * Medians over rounds with 95% percentile-bootstrap intervals (method in docs/readme/report.md).
 * The PRNG is seeded so that the same rounds always give the same interval: re-rendering a report
 * must not change its numbers.
 */
export const BOOTSTRAP = {
  resamples: 2000,
  minSamples: 3, // below this an interval means nothing: ci95 is null and reports say so
  seed: 0x1b5eed,
  confidence: 0.95,
} as const;

/** The project's one seeded PRNG (shared/prng.ts) as a bare () => [0, 1) source. */
export function mulberry32(seed: number): () => number {
  return createRng(seed).next;
}

function assertSamples(samples: readonly number[], what: string): void {
  if (samples.length === 0) throw new RangeError(`${what}: no samples`);
  for (const x of samples) if (!Number.isFinite(x)) throw new RangeError(`${what}: sample ${x} is not a finite number`);
}

function sortedMedian(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The sample median (mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  assertSamples(samples, 'median');
  return sortedMedian([...samples].sort((x, y) => x - y));
}

/** Linear-interpolation quantile (Hyndman & Fan type 7, as R and NumPy default) of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** `resamples` medians of resamples (with replacement, same size) of `samples`. */
function bootstrapMedians(samples: readonly number[], random: () => number, resamples: number): number[] {
  const n = samples.length;
  const out = new Array<number>(resamples);
  const draw = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) draw[i] = samples[Math.floor(random() * n)]!;
    draw.sort((x, y) => x - y);
    out[b] = sortedMedian(draw);
  }
  return out;
}

function percentileInterval(values: number[]): [number, number] {
  values.sort((x, y) => x - y);
  const tail = (1 - BOOTSTRAP.confidence) / 2;
  return [quantileSorted(values, tail), quantileSorted(values, 1 - tail)];
}

/** Median of the samples and its 95% percentile-bootstrap interval (null with fewer than 3 samples). */
export function medianCi(samples: readonly number[], seed: number = BOOTSTRAP.seed): Estimate {
  const m = median(samples);
  if (samples.length < BOOTSTRAP.minSamples) return { median: m, ci95: null };
  const medians = bootstrapMedians(samples, mulberry32(seed), BOOTSTRAP.resamples);
  return { median: m, ci95: percentileInterval(medians) };
}

/**
 * median(a) / median(b) with a 95% interval from bootstrapping both groups independently
 * (each resample: a resample of a, a resample of b, the ratio of their medians).
 * Null when median(b) is 0 (no ratio exists); ci95 null when either group has fewer than 3 samples.
 */
export function ratioCi(a: readonly number[], b: readonly number[], seed: number = BOOTSTRAP.seed): Estimate | null {
  const ma = median(a);
  const mb = median(b);
  if (mb === 0) return null;
  if (a.length < BOOTSTRAP.minSamples || b.length < BOOTSTRAP.minSamples) return { median: ma / mb, ci95: null };
  const random = mulberry32(seed);
  const medA = bootstrapMedians(a, random, BOOTSTRAP.resamples);
  const medB = bootstrapMedians(b, random, BOOTSTRAP.resamples);
  const ratios: number[] = [];
  for (let i = 0; i < BOOTSTRAP.resamples; i++) {
    // A resample of b can have median 0 only if b holds zeros; skip those draws rather than emit Infinity.
    if (medB[i] !== 0) ratios.push(medA[i]! / medB[i]!);
  }
  if (ratios.length === 0) return { median: ma / mb, ci95: null };
  return { median: ma / mb, ci95: percentileInterval(ratios) };
}
