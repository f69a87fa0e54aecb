/**
 * handleSummary: the end-of-test summary as JSON for the harness (SUMMARY_PATH) and a short text
 * summary on stdout for a person. The harness takes latencies from the per-request output, not from
 * here: the summary's percentiles are computed by k6 over its own sample and cannot be merged across
 * instances.
 */
import type { K6ScriptConfig } from './config.ts';

/** The parts of k6's summary data we read (k6 passes more). */
export interface SummaryData {
  metrics: Record<
    string,
    { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }
  >;
  state: { testRunDurationMs: number };
}

const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)} ms`);

export function textSummary(data: SummaryData, config: K6ScriptConfig): string {
  const m = data.metrics;
  const reqs = m.http_reqs?.values ?? {};
  const d = m.http_req_duration?.values ?? {};
  const shape = config.executor === 'constant-vus' ? `${config.vus} VUs` : `${config.ratePerS}/s`;
  const lines = [
    `jobbench k6: ${config.scenario}, ${config.executor} ${shape} for ${config.durationS}s against ${config.baseUrl}`,
    `  requests ${reqs.count ?? 0} (${(reqs.rate ?? 0).toFixed(1)}/s), failed ${((m.http_req_failed?.values.rate ?? 0) * 100).toFixed(2)}%, dropped iterations ${m.dropped_iterations?.values.count ?? 0}`,
    `  latency p50 ${ms(d.med)}, p90 ${ms(d['p(90)'])}, p95 ${ms(d['p(95)'])}, p99 ${ms(d['p(99)'])}, max ${ms(d.max)}`,
  ];
  for (const [metric, { thresholds }] of Object.entries(m)) {
    for (const [expr, { ok }] of Object.entries(thresholds ?? {}))
      lines.push(`  ${ok ? 'ok  ' : 'FAIL'} ${metric}: ${expr}`);
  }
  return lines.join('\n') + '\n';
}

export function makeHandleSummary(config: K6ScriptConfig): (data: SummaryData) => Record<string, string> {
  return (data) => {
    const files: Record<string, string> = { stdout: textSummary(data, config) };
    if (config.summaryPath) files[config.summaryPath] = JSON.stringify(data);
    return files;
  };
}
