/**
 * The harness's own memory and the server's over a measured window (issue 14: the harness must stay
 * bounded over a 10-minute soak). Samples process.memoryUsage().rss of this process and the server's
 * RSS (as the server probe last read it) every SAMPLE_INTERVAL_MS; keeps the harness's peak and last value and a bounded per-minute
 * series (rss-series.ts), never the samples themselves.
 */
import { samplePeriodically } from '../../host/periodic.ts';
import { SAMPLE_INTERVAL_MS, type Probe, type ProbeReport } from '../probe.ts';
import type { RssSeries } from '../../results/memory.ts';
import { createRssSeries, RSS_BUCKET_S, RSS_MAX_POINTS } from '../rss-series.ts';
import type { ServerProbe } from './server.ts';

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
  const sampling = await samplePeriodically(opts.intervalMs ?? SAMPLE_INTERVAL_MS, async () => sample());
  return {
    async stop(): Promise<MemoryReading> {
      await sampling.stop(); // takes one last sample: the end of the window is always seen
      return { harnessPeakRssBytes: peak, harnessEndRssBytes: end, samples, series: series.series() };
    },
  };
}

/** Started after the server probe and stopped before it: the server's RSS is read where that probe left it. */
export function memoryProbe(server: Pick<ServerProbe, 'lastRssBytes'>, intervalMs = SAMPLE_INTERVAL_MS): Probe {
  let sampler: Awaited<ReturnType<typeof startMemorySampler>> | undefined;
  return {
    name: 'memory',
    async start() {
      sampler = await startMemorySampler({ serverRssBytes: () => server.lastRssBytes(), intervalMs });
    },
    async stop(): Promise<ProbeReport> {
      const rss = await sampler!.stop();
      return {
        round: {
          harnessPeakRssBytes: rss.harnessPeakRssBytes,
          harnessEndRssBytes: rss.harnessEndRssBytes,
          // Over a minute, RSS per minute (bounded: rss-series.ts); shorter windows have peak and end only.
          ...(rss.series.points.length > 1 ? { rssOverTime: rss.series } : {}),
        },
      };
    },
  };
}
