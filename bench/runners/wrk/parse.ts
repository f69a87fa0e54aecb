/**
 * Reading what wrk's done() exported (wrk-lua.ts), and undoing wrk's coordinated-omission correction.
 *
 * Why the exported counts exceed `summary.requests` (15–20% on `mixed`, ~3% on a steady search): after
 * the threads join and before done() runs, wrk 4.1 calls `stats_correct(statistics.latency, interval)`
 * (src/wrk.c main, src/stats.c) with interval = runtime_us / (requests / connections), integer division,
 * i.e. the mean time between two requests of one connection. For every recorded latency n ≥ 2·interval it
 * ADDS synthetic samples at n − interval, n − 2·interval, … while > interval (and increments the count):
 * the requests a connection "should" have sent while it waited. So `latency(i)` counts are real responses
 * plus invented ones; the longer the tail relative to the mean interval, the more are invented (mixed has
 * a long tail of stats/search queries). Nothing else adds: responses are recorded once each (one request
 * per pipeline batch here), the histogram is one shared atomic table for all threads (no per-thread
 * merge), and responses that arrive between the end of `-d` and the threads' stop (≤ 100 ms) are counted
 * both in `requests` and in the histogram. One thing removes: a latency above --timeout is not recorded
 * (stats_record refuses n ≥ limit) and counts as errors.timeout, although the response arrived.
 *
 * The correction is invertible: final[m] = Σ_{k≥0} orig[m + k·interval] for m > interval, so
 * orig[m] = final[m] − final[m + interval], and orig[m] = final[m] for m ≤ interval. Synthetic samples
 * below wrk's min are invisible to latency(i) (it scans min..max), which does not matter: orig[m] only
 * needs final at m and above. What we record is then exactly the real responses, plus the late ones at the
 * timeout (clamped, not dropped), so the histogram's count equals `summary.requests`.
 */
import { createLatencyHistogram, encodeHistogram, recordLatencyUs } from '../../stats/histogram.ts';
import type { WindowMeasurement } from '../types.ts';

export interface WrkErrors {
  connect: number;
  read: number;
  write: number;
  status: number; // responses with status > 399
  timeout: number; // responses slower than --timeout (they did arrive; wrk 4.1 closes nothing)
}

export interface WrkExport {
  durationUs: number;
  requests: number; // responses completed (wrk's `complete`)
  bytes: number;
  errors: WrkErrors;
  latencyUs: Array<[valueUs: number, count: number]>; // as exported: after wrk's correction
  statusCodes?: Record<string, number>; // with the response() callback only
  /** With the timeline callback: [bucket key = epoch ms / 100 × 1000 + status, count] (wrk-lua.ts). */
  buckets?: Array<[key: number, count: number]>;
  /** Per thread: epoch ms of its first and last failing response, −1 for none. */
  failedMs?: Array<[first: number, last: number]>;
}

export class WrkExportError extends Error {
  override name = 'WrkExportError';
}

export function parseWrkExport(text: string): WrkExport {
  let summary: number[] | undefined;
  let errors: number[] | undefined;
  let ended = false;
  const latencyUs: Array<[number, number]> = [];
  const statusCodes: Record<string, number> = {};
  let sawStatus = false;
  const buckets: Array<[number, number]> = [];
  const failedMs: Array<[number, number]> = [];
  for (const line of text.split('\n')) {
    const [kind, ...rest] = line.trim().split(' ');
    const nums = rest.map(Number);
    if (nums.some((n) => !Number.isFinite(n))) throw new WrkExportError(`wrk export: bad line "${line}"`);
    if (kind === 'summary' && nums.length === 3) summary = nums;
    else if (kind === 'errors' && nums.length === 5) errors = nums;
    else if (kind === 'latency' && nums.length === 2) latencyUs.push([nums[0]!, nums[1]!]);
    else if (kind === 'status' && nums.length === 2) {
      sawStatus = true;
      statusCodes[String(nums[0])] = (statusCodes[String(nums[0])] ?? 0) + nums[1]!;
    } else if (kind === 'bucket' && nums.length === 2) {
      buckets.push([nums[0]!, nums[1]!]);
      const code = String(nums[0]! % 1000); // the timeline's buckets hold the status codes too
      statusCodes[code] = (statusCodes[code] ?? 0) + nums[1]!;
      sawStatus = true;
    } else if (kind === 'failed' && nums.length === 2) failedMs.push([nums[0]!, nums[1]!]);
    else if (kind === 'end') ended = true;
    else if (kind !== '') throw new WrkExportError(`wrk export: unknown line "${line}"`);
  }
  if (!summary || !errors || !ended) throw new WrkExportError('wrk export: incomplete (no summary, errors or end)');
  const [connect, read, write, status, timeout] = errors as [number, number, number, number, number];
  return {
    durationUs: summary[0]!,
    requests: summary[1]!,
    bytes: summary[2]!,
    errors: { connect, read, write, status, timeout },
    latencyUs,
    ...(sawStatus ? { statusCodes } : {}),
    ...(failedMs.length > 0 ? { buckets, failedMs } : {}),
  };
}

/** wrk's correction interval in µs (src/wrk.c main), or undefined when wrk applied none. */
export function wrkCorrectionIntervalUs(durationUs: number, requests: number, connections: number): number | undefined {
  const perConnection = Math.floor(requests / connections);
  return perConnection > 0 ? Math.floor(durationUs / perConnection) : undefined;
}

/** The latency counts wrk recorded before stats_correct (see the top of this file). */
export function uncorrectLatency(
  corrected: ReadonlyArray<readonly [number, number]>,
  intervalUs: number | undefined,
): Array<[number, number]> {
  if (intervalUs === undefined || intervalUs <= 0) return corrected.map(([v, n]) => [v, n]);
  const final = new Map(corrected.map(([v, n]) => [v, n]));
  const out: Array<[number, number]> = [];
  for (const [value, count] of corrected) {
    const real = value > intervalUs ? count - (final.get(value + intervalUs) ?? 0) : count;
    if (real < 0) throw new WrkExportError(`wrk export: negative count at ${value} µs: not wrk 4.1's correction`);
    if (real > 0) out.push([value, real]);
  }
  return out;
}

/** The window measurement from wrk's export: histogram of real responses, errors mapped. */
export function wrkMeasurement(
  exported: WrkExport,
  opts: { connections: number; timeoutS: number; generatorCpuUs: number },
): WindowMeasurement {
  const interval = wrkCorrectionIntervalUs(exported.durationUs, exported.requests, opts.connections);
  const real = uncorrectLatency(exported.latencyUs, interval);
  const histogram = createLatencyHistogram();
  for (const [value, count] of real) recordLatencyUs(histogram, value, count);
  // Late responses (over --timeout): wrk keeps no value, we know only that it exceeds the timeout.
  if (exported.errors.timeout > 0) recordLatencyUs(histogram, opts.timeoutS * 1e6, exported.errors.timeout);
  const recorded = histogram.totalCount;
  if (recorded !== exported.requests)
    throw new WrkExportError(
      `wrk export: ${recorded} latencies after undoing the correction (interval ${interval} µs) for ${exported.requests} requests`,
    );
  const e = exported.errors;
  return {
    durationS: exported.durationUs / 1e6,
    requests: exported.requests,
    // Without the response() callback wrk only tells responses over 399 apart (src/wrk.c response_complete).
    statusCodes: exported.statusCodes ?? { '<400': exported.requests - e.status, '>399': e.status },
    errors: e.connect + e.read + e.write + e.timeout,
    timeouts: e.timeout,
    non2xx: exported.statusCodes
      ? Object.entries(exported.statusCodes).reduce((n, [code, c]) => (code.startsWith('2') ? n : n + c), 0)
      : e.status,
    bytes: exported.bytes,
    histogram: encodeHistogram(histogram),
    generatorCpuUs: opts.generatorCpuUs,
  };
}
