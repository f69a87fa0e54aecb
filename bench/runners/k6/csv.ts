/**
 * Reads k6's per-request output (`--out csv=FILE`) as a stream: every response time goes into the µs
 * HDR histogram (k6 writes http_req_duration in ms with 6 decimals, i.e. ns resolution), and the counts
 * the results file needs are summed on the way. A window of 100k requests is about 1.3M lines (k6
 * writes ~13 metric samples per request), so the file is never loaded whole.
 */
import { createReadStream } from 'node:fs';
import { createLatencyHistogram, recordLatencyUs, type Histogram } from '../../stats/histogram.ts';
import type { createSecondCounter } from '../../faults/second-counts.ts';
import { isAdmittedStatus } from '../types.ts';

/** What one k6 process measured, from its samples. */
export interface K6SampleCounts {
  histogram: Histogram; // responses only (status != 0), µs
  admittedHistogram: Histogram; // responses but 503s (types.ts isAdmittedStatus), µs
  requests: number; // responses received
  statusCodes: Record<string, number>;
  errors: number; // requests without a response (status 0), timeouts included
  timeouts: number;
  non2xx: number;
  bytes: number; // data_received
  iterations: number; // completed iterations (one request each)
  droppedIterations: number;
}

// k6 error codes (https://grafana.com/docs/k6/latest/javascript-api/error-codes/): 1050 = request timeout.
const K6_ERROR_REQUEST_TIMEOUT = '1050';

/**
 * The timeline's key for a request without a response: the errno name autocannon's timeline uses for
 * the same failure, so that timelines of both tools read alike; any other k6 code as `k6-<code>`.
 */
const K6_ERROR_KEYS: Readonly<Record<string, string>> = {
  [K6_ERROR_REQUEST_TIMEOUT]: 'ETIMEDOUT',
  '1211': 'ETIMEDOUT', // dial timeout
  '1212': 'ECONNREFUSED', // dial: connection refused
  '1220': 'ECONNRESET', // connection reset by peer
  '1201': 'EPIPE', // broken pipe
};
export const k6ErrorKey = (code: string | undefined): string =>
  (code && K6_ERROR_KEYS[code]) ?? (code ? `k6-${code}` : 'error');

/**
 * Where the per-second timeline goes: the counter (shared by the instances of a window) and the epoch
 * ms the measured window started at. Needs the CSV's timestamps in ms (K6_CSV_TIME_FORMAT=unix_milli:
 * k6's default is whole seconds).
 */
export interface TimelineSink {
  counter: ReturnType<typeof createSecondCounter>;
  startEpochMs: number;
}

export function emptyCounts(): K6SampleCounts {
  return {
    histogram: createLatencyHistogram(),
    admittedHistogram: createLatencyHistogram(),
    requests: 0,
    statusCodes: {},
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    bytes: 0,
    iterations: 0,
    droppedIterations: 0,
  };
}

/** Splits one CSV line (RFC 4180 quoting, which Go's encoding/csv writes only when a field needs it). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

interface Columns {
  metric: number;
  value: number;
  status: number;
  errorCode: number;
  scenario: number;
  timestamp: number;
}

function columnsOf(header: string[]): Columns {
  const at = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`k6 CSV output has no "${name}" column (header: ${header.join(',')})`);
    return i;
  };
  return {
    metric: at('metric_name'),
    value: at('metric_value'),
    status: at('status'),
    errorCode: at('error_code'),
    scenario: at('scenario'),
    timestamp: at('timestamp'),
  };
}

/** Adds one CSV sample to the counts. Samples without a scenario tag come from setup() and teardown(). */
export function addSample(
  counts: K6SampleCounts,
  fields: readonly string[],
  cols: Columns,
  timeline?: TimelineSink,
): void {
  if (!fields[cols.scenario]) return;
  const metric = fields[cols.metric];
  switch (metric) {
    case 'http_reqs': {
      const status = fields[cols.status] ?? '';
      const noResponse = status === '' || status === '0';
      // k6 stamps a request's samples with the time it ended (its response or its error)
      if (timeline)
        timeline.counter.record(
          Number(fields[cols.timestamp]) - timeline.startEpochMs,
          noResponse ? k6ErrorKey(fields[cols.errorCode]) : status,
        );
      if (noResponse) {
        counts.errors++;
        if (fields[cols.errorCode] === K6_ERROR_REQUEST_TIMEOUT) counts.timeouts++;
        return;
      }
      counts.requests++;
      counts.statusCodes[status] = (counts.statusCodes[status] ?? 0) + 1;
      const code = Number(status);
      if (code < 200 || code >= 300) counts.non2xx++;
      return;
    }
    case 'http_req_duration': {
      const status = fields[cols.status] ?? '';
      if (status === '' || status === '0') return; // no response: no response time
      const latencyUs = Number(fields[cols.value]) * 1000;
      recordLatencyUs(counts.histogram, latencyUs);
      if (isAdmittedStatus(Number(status))) recordLatencyUs(counts.admittedHistogram, latencyUs);
      return;
    }
    case 'data_received':
      counts.bytes += Number(fields[cols.value]);
      return;
    case 'iterations':
      counts.iterations += Number(fields[cols.value]);
      return;
    case 'dropped_iterations':
      counts.droppedIterations += Number(fields[cols.value]);
      return;
  }
}

// The metrics addSample reads; k6 writes ~13 samples per request and the others are skipped unsplit.
const USED_PREFIXES = ['http_reqs,', 'http_req_duration,', 'data_received,', 'iterations,', 'dropped_iterations,'];

/** Stream-parses one k6 CSV output file (chunks split by hand: several times faster than readline). */
export async function readK6Csv(path: string, timeline?: TimelineSink): Promise<K6SampleCounts> {
  const counts = emptyCounts();
  let cols: Columns | undefined;
  let partial = '';
  const onLine = (line: string): void => {
    if (line === '') return;
    if (cols === undefined) cols = columnsOf(splitCsvLine(line));
    else if (USED_PREFIXES.some((p) => line.startsWith(p))) addSample(counts, splitCsvLine(line), cols, timeline);
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (partial + (chunk as string)).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  }
  onLine(partial);
  if (cols === undefined) throw new Error(`k6 CSV output ${path} is empty`);
  return counts;
}
