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
  /** Whether the event-loop delay histogram is running now (its 1 kHz timer). */
  sampling(): boolean;
  stop(): void;
}

/**
 * Node's histogram records the whole interval between two ticks of its timer, so an idle loop reads
 * about RESOLUTION_MS; the delay is what exceeds it.
 */
function delayMs(intervalNs: number): number {
  return Math.max(0, intervalNs / NS_PER_MS - RESOLUTION_MS);
}

/** How often the monitor asks whether anyone is connected (1 Hz: no cost a neighbour would notice). */
const IDLE_CHECK_MS = 1000;

export interface ProcessMonitorOptions {
  /**
   * `false` (instruction counting, JOBBENCH_COUNTING): no delay histogram, whose 1 kHz timer does work in
   * proportion to wall time, not to requests; its fields then read 0 samples.
   */
  eventLoop?: boolean;
  /**
   * Whether any client is connected (src/server.ts: the HTTP server's open connections). Given, the
   * 1 kHz histogram runs only while someone is: an idle server's timer waking 1,000 times a second slowed
   * another server measured beside it by ~30% on /health on the 2-core machine (scripts/idle-neighbour.sh),
   * which is what a kept server (the gate, the ADR map) is to the other side's windows. A window's first
   * read (`reset`) switches it on at once; the 1-Hz check switches it off when no one is connected, but
   * not at the first check after a window's first read (its load may not have connected yet).
   */
  connected?: () => Promise<boolean>;
}

export function createProcessMonitor(options: ProcessMonitorOptions = {}): ProcessMonitor {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const wanted = options.eventLoop ?? true;
  let sampling = false;
  const setSampling = (on: boolean) => {
    if (on === sampling) return;
    sampling = on;
    if (on) histogram.enable();
    else histogram.disable();
  };
  setSampling(wanted);
  const { connected } = options;
  let stopped = false;
  // The first check after a window's first read does not stop the histogram. That read switches it on a
  // moment before the window's load generator connects; a check falling in that moment switched it off,
  // the next switched it on again without a reset, and Node's histogram then records the interval since its
  // last tick before the switch-off (~IDLE_CHECK_MS) as one delay: 26 of 1,056 windows of
  // gate-calibration-2026-12-07e read a "max event-loop delay" of ~1,000 ms while their slowest request
  // took 43–83 ms. Between windows it still stops at the first check that finds no client (a kept server's
  // timer slows the other side's next window). A window whose load leaves for a second and comes back
  // still reads that gap as one delay.
  let windowStarting = false;
  const idleCheck =
    wanted && connected
      ? setInterval(() => {
          connected().then(
            (yes) => {
              if (stopped) return;
              const starting = windowStarting;
              windowStarting = false;
              if (yes || !starting) setSampling(yes);
            },
            () => {}, // a server being closed: the next check or stop() settles it
          );
        }, IDLE_CHECK_MS).unref()
      : undefined;
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
        windowStarting = true;
        if (wanted) setSampling(true);
        histogram.reset();
        windowStartMs = performance.now();
      }
      return report;
    },
    sampling: () => sampling,
    stop() {
      stopped = true;
      if (idleCheck) clearInterval(idleCheck);
      setSampling(false);
    },
  };
}
