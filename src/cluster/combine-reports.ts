import type { ProcessReport } from '../http/schemas.ts';

/** The primary's own numbers: it only forwards connections, but its CPU and memory are the target's too. */
export interface PrimaryNumbers {
  pid: number;
  uptimeS: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  maxRssBytes: number;
}

/**
 * One report for the whole cluster (pure): pid and uptime of the primary; CPU and RSS summed over the
 * primary and every worker; the event loop's max and p99 delay are the worst worker's (a p99 of the
 * union would need the histograms; the max over workers is an upper bound of it), its mean the
 * sample-weighted mean; pool gauges summed (null when no worker has a pool, as with pg-sync).
 */
export function combineReports(primary: PrimaryNumbers, workers: readonly ProcessReport[]): ProcessReport {
  const sum = (f: (r: ProcessReport) => number) => workers.reduce((n, r) => n + f(r), 0);
  const max = (f: (r: ProcessReport) => number) => workers.reduce((n, r) => Math.max(n, f(r)), 0);
  const samples = sum((r) => r.eventLoop.samples);
  const pools = workers.map((r) => r.poolStats).filter((p) => p !== null);
  return {
    pid: primary.pid,
    uptimeS: primary.uptimeS,
    cpuUserUs: primary.cpuUserUs + sum((r) => r.cpuUserUs),
    cpuSystemUs: primary.cpuSystemUs + sum((r) => r.cpuSystemUs),
    rssBytes: primary.rssBytes + sum((r) => r.rssBytes),
    maxRssBytes: primary.maxRssBytes + sum((r) => r.maxRssBytes),
    eventLoop: {
      resolutionMs: workers[0]?.eventLoop.resolutionMs ?? 1,
      sinceResetS: max((r) => r.eventLoop.sinceResetS),
      samples,
      meanDelayMs: samples > 0 ? sum((r) => r.eventLoop.meanDelayMs * r.eventLoop.samples) / samples : 0,
      maxDelayMs: max((r) => r.eventLoop.maxDelayMs),
      p99DelayMs: max((r) => r.eventLoop.p99DelayMs),
    },
    poolStats:
      pools.length === 0
        ? null
        : {
            total: pools.reduce((n, p) => n + p.total, 0),
            idle: pools.reduce((n, p) => n + p.idle, 0),
            waiting: pools.reduce((n, p) => n + p.waiting, 0),
          },
    workers: workers.length,
  };
}
