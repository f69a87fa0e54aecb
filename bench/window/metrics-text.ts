/** What the window reads from a server's Prometheus text exposition (src/metrics/names.ts). Pure. */
import { METRIC } from '../../src/metrics/names.ts';

export interface QueryCounters {
  dbCalls: number; // repository calls timed (jobbench_db_query_duration_seconds_count, every operation)
  requests: number; // http_requests_total (which leaves /metrics out)
  inFlight: number; // http_requests_in_flight
}

/** Sums the counters the window needs over every label set. */
export function parseQueryCounts(text: string): QueryCounters {
  let dbCalls = 0;
  let requests = 0;
  let inFlight = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const name = line.split(/[{ ]/, 1)[0];
    if (name === `${METRIC.dbQueryDuration}_count`) dbCalls += value;
    else if (name === METRIC.httpRequests) requests += value;
    else if (name === METRIC.httpRequestsInFlight) inFlight += value;
  }
  return { dbCalls, requests, inFlight };
}
