/**
 * The JSON summary k6's handleSummary writes (scenarios/k6/summary.ts): read for the thresholds, which
 * k6 evaluates itself. Latencies come from the per-request output instead (k6-csv.ts).
 */
import { readFile } from 'node:fs/promises';

export interface K6SummaryFacts {
  thresholdFailures: string[]; // "http_req_duration: p(99)<1"
  thresholdCount: number;
}

interface SummaryJson {
  metrics?: Record<string, { thresholds?: Record<string, { ok?: boolean }> }>;
}

/** The failed thresholds of a k6 summary object, as "metric: expression". */
export function summaryFacts(summary: SummaryJson): K6SummaryFacts {
  const thresholdFailures: string[] = [];
  let thresholdCount = 0;
  for (const [metric, { thresholds }] of Object.entries(summary.metrics ?? {})) {
    for (const [expr, result] of Object.entries(thresholds ?? {})) {
      thresholdCount++;
      if (result.ok !== true) thresholdFailures.push(`${metric}: ${expr}`);
    }
  }
  return { thresholdFailures: thresholdFailures.sort(), thresholdCount };
}

export async function readK6Summary(path: string): Promise<K6SummaryFacts> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`k6 wrote no summary at ${path} (${(err as NodeJS.ErrnoException).code}): did handleSummary run?`);
  }
  return summaryFacts(JSON.parse(text) as SummaryJson);
}
