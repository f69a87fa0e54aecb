import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { PoolStats } from '../domain/job.ts';
import type { ProcessReport } from './schemas.ts';

// 1 ms is the finest resolution Node accepts (an integer >= 1); the default 10 ms hides the
// sub-10 ms stalls that matter when a request takes well under 1 ms. Costs about 1,000 timer
// wake-ups per second, the same for every adapter.
const RESOLUTION_MS = 1;
const NS_PER_MS = 1e6;

export interface ProcessMonitor {
  /** The process' own numbers for the benchmark runner; `reset` starts a new event-loop window. */
  report(poolStats: PoolStats | null, reset: boolean): ProcessReport;
  stop(): void;
}

/**
 * Node's histogram records the whole interval between two ticks of its timer, so an idle loop reads
 * about RESOLUTION_MS; the delay is what exceeds it.
 */
function delayMs(intervalNs: number): number {
  return Math.max(0, intervalNs / NS_PER_MS - RESOLUTION_MS);
}

/**
 * `eventLoop: false` (instruction counting, JOBBENCH_COUNTING): no delay histogram, whose 1 kHz timer does
 * work in proportion to wall time, not to requests; its fields then read 0 samples.
 */
export function createProcessMonitor(options: { eventLoop?: boolean } = {}): ProcessMonitor {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  if (options.eventLoop ?? true) histogram.enable();
  let windowStartMs = performance.now();
  return {
    report(poolStats, reset) {
      const cpu = process.cpuUsage();
      const samples = histogram.count;
      const report: ProcessReport = {
        pid: process.pid,
        uptimeS: process.uptime(),
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: process.memoryUsage.rss(),
        maxRssBytes: process.resourceUsage().maxRSS * 1024, // maxRSS is in KiB
        eventLoop: {
          resolutionMs: RESOLUTION_MS,
          sinceResetS: (performance.now() - windowStartMs) / 1000,
          samples,
          meanDelayMs: samples > 0 ? delayMs(histogram.mean) : 0,
          maxDelayMs: samples > 0 ? delayMs(histogram.max) : 0,
          p99DelayMs: samples > 0 ? delayMs(histogram.percentile(99)) : 0,
        },
        poolStats,
      };
      if (reset) {
        histogram.reset();
        windowStartMs = performance.now();
      }
      return report;
    },
    stop() {
      histogram.disable();
    },
  };
}
