/**
 * The harness's own memory and the server's over a measured window (issue 14: the harness must stay
 * bounded over a 10-minute soak). Samples process.memoryUsage().rss of this process and the server's
 * RSS (its process tree) every second; keeps the harness's peak and last value and a bounded per-minute
 * series (rss-series.ts), never the samples themselves.
 */
import { samplePeriodically } from './periodic.ts';
import { createRssSeries, RSS_BUCKET_S, RSS_MAX_POINTS, type RssSeries } from './rss-series.ts';

export const MEMORY_SAMPLE_INTERVAL_MS = 1_000;

export interface MemoryReading {
  harnessPeakRssBytes: number;
  harnessEndRssBytes: number;
  samples: number; // how many samples were taken (the series keeps at most RSS_MAX_POINTS of them)
  series: RssSeries;
}

export async function startMemorySampler(
  opts: {
    serverRssBytes?: () => number | null; // null or a throw: no reading (external target, a dead server)
    intervalMs?: number;
    bucketS?: number;
    maxPoints?: number;
    nowMs?: () => number; // the clock (tests use a fake one)
  } = {},
) {
  const nowMs = opts.nowMs ?? (() => performance.now());
  const t0 = nowMs();
  const series = createRssSeries(opts.bucketS ?? RSS_BUCKET_S, opts.maxPoints ?? RSS_MAX_POINTS);
  let peak = 0;
  let end = 0;
  let samples = 0;
  const sample = () => {
    const harness = process.memoryUsage.rss(); // rss() alone: memoryUsage() also walks the V8 heap spaces
    let server: number | null = null;
    try {
      server = opts.serverRssBytes?.() ?? null;
    } catch {
      server = null;
    }
    peak = Math.max(peak, harness);
    end = harness;
    samples++;
    series.add((nowMs() - t0) / 1000, harness, server);
  };
  const sampling = await samplePeriodically(opts.intervalMs ?? MEMORY_SAMPLE_INTERVAL_MS, async () => sample());
  return {
    async stop(): Promise<MemoryReading> {
      await sampling.stop(); // takes one last sample: the end of the window is always seen
      return { harnessPeakRssBytes: peak, harnessEndRssBytes: end, samples, series: series.series() };
    },
  };
}
