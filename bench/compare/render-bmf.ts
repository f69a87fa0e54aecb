import type { Comparison } from './compare.ts';
import type { MetricId } from './metrics.ts';

/**
 * Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format/): the head side's
 * medians with their 95% intervals as lower/upper values, one benchmark per cell, one measure per
 * metric. Bencher does its own thresholds over history; this is the data, not the verdict.
 */
export const BMF_MEASURES: Record<MetricId, string> = {
  requestsPerSec: 'throughput-requests-per-second',
  latencyP50Us: 'latency-p50-microseconds',
  latencyP99Us: 'latency-p99-microseconds',
  serverCpuUsPerRequest: 'server-cpu-microseconds-per-request',
  errorShare: 'error-share',
  serverRssBytes: 'server-rss-bytes',
  queriesPerRequest: 'queries-per-request',
  dbCallsPerRequest: 'db-calls-per-request',
  dbRowsPerRequest: 'db-rows-per-request',
  dbSharedBlocksPerRequest: 'db-shared-blocks-per-request',
  dbTempBlocksPerRequest: 'db-temp-blocks-per-request',
};

export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

export function buildBmf(c: Comparison): Bmf {
  const out: Bmf = {};
  for (const group of c.groups) {
    for (const cell of group.cells) {
      const measures: Record<string, BmfMetric> = {};
      for (const m of cell.metrics) {
        if (m.head === null) continue;
        const metric: BmfMetric = { value: m.head.median };
        if (m.head.ci95 !== null) [metric.lower_value, metric.upper_value] = m.head.ci95;
        measures[BMF_MEASURES[m.metric]] = metric;
      }
      out[cell.title] = measures;
    }
  }
  return out;
}

export function renderCompareBmf(c: Comparison): string {
  return JSON.stringify(buildBmf(c), null, 2) + '\n';
}
