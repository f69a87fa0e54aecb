import type { DbWorkFigures } from '../results/db-work.ts';
import type { Round } from '../results/types.ts';

/** Which pg_stat_statements figure a database-work metric reads. */
export type DbWorkField = keyof DbWorkFigures;

/**
 * The metrics a comparison reads, one row per cell × metric. `statistical` metrics get a bootstrap
 * interval and a rank test; `exact` ones are counts (any rise is a regression, whatever the noise);
 * `errors` has its own rule (any rise from zero is a regression). Default thresholds are the practical
 * change, in percent of the base, past which a statistically clear change counts.
 */
export const DIRECTIONS = ['bigger-is-better', 'smaller-is-better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const METRIC_KINDS = ['statistical', 'errors', 'exact'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** A round's value of the metric; null when not measured in that round (e.g. pg_stat_statements off). */
type Extract = (round: Round) => number | null | undefined;

/** (errors + non-2xx) / attempts, as the report's errors column: 0..1. */
function errorShare(r: Round): number {
  const attempts = r.requests + r.errors;
  return attempts === 0 ? 0 : (r.errors + r.non2xx) / attempts;
}

/** A pg_stat_statements figure per request: absent in older files, null where the extension is not loaded. */
function dbWorkMetric<Id extends string, Alias extends string, Label extends string>(
  id: Id,
  alias: Alias,
  label: Label,
  unit: string,
  thresholdPct: number,
  field: DbWorkField,
) {
  return {
    id,
    alias,
    label,
    unit,
    direction: 'smaller-is-better' as const,
    kind: 'exact' as const,
    thresholdPct,
    dbWorkField: field,
    extract: ((r) =>
      r.dbWork === undefined ? undefined : r.dbWork === null ? null : r.dbWork.total[field]) as Extract,
  };
}

export const COMPARE_METRICS = [
  {
    id: 'requestsPerSec',
    alias: 'rps',
    label: 'req/s',
    unit: 'req/s',
    direction: 'bigger-is-better',
    kind: 'statistical',
    thresholdPct: 5, // −5% req/s
    extract: ((r) => r.requestsPerSec) as Extract,
  },
  {
    id: 'latencyP50Us',
    alias: 'p50',
    label: 'p50 latency',
    unit: 'µs',
    direction: 'smaller-is-better',
    kind: 'statistical',
    thresholdPct: 10,
    extract: ((r) => r.latencyUs.p50) as Extract,
  },
  {
    id: 'latencyP99Us',
    alias: 'p99',
    label: 'p99 latency',
    unit: 'µs',
    direction: 'smaller-is-better',
    kind: 'statistical',
    thresholdPct: 10,
    extract: ((r) => r.latencyUs.p99) as Extract,
  },
  {
    id: 'serverCpuUsPerRequest',
    alias: 'cpu',
    label: 'server CPU/request',
    unit: 'µs/req',
    direction: 'smaller-is-better',
    kind: 'statistical',
    thresholdPct: 5, // the least noisy metric: a tight threshold
    extract: ((r) => r.serverCpuUsPerRequest) as Extract,
  },
  {
    id: 'errorShare',
    alias: 'errors',
    label: 'errors',
    unit: 'share of requests',
    direction: 'smaller-is-better',
    kind: 'errors',
    thresholdPct: 0, // any rise
    extract: errorShare as Extract,
  },
  {
    id: 'serverRssBytes',
    alias: 'rss',
    label: 'peak server RSS',
    unit: 'bytes',
    direction: 'smaller-is-better',
    kind: 'statistical',
    thresholdPct: 10,
    extract: ((r) => r.serverRssBytes) as Extract,
  },
  {
    id: 'queriesPerRequest',
    alias: 'queries',
    label: 'queries/request',
    unit: 'queries/req',
    direction: 'smaller-is-better',
    kind: 'exact',
    thresholdPct: 0, // any rise: an added N+1 query is caught with certainty
    extract: ((r) => r.queriesPerRequest) as Extract,
  },
  // Database work per request from pg_stat_statements (bench/window/probes/db-work.ts): counts, gated
  // near-exactly. Rows and pages of equal data on equal plans do not move with machine noise.
  dbWorkMetric('dbCallsPerRequest', 'db-calls', 'SQL calls/request', 'calls/req', 0, 'calls'), // any rise past 0.005/request
  dbWorkMetric('dbRowsPerRequest', 'db-rows', 'SQL rows/request', 'rows/req', 2, 'rows'),
  dbWorkMetric('dbSharedBlocksPerRequest', 'db-blocks', 'shared blocks/request', 'blocks/req', 2, 'sharedBlocks'),
  dbWorkMetric('dbTempBlocksPerRequest', 'db-temp', 'temp blocks/request', 'blocks/req', 0, 'tempBlocks'),
] as const;

export type CompareMetric = (typeof COMPARE_METRICS)[number];
export type MetricId = CompareMetric['id'];
export const METRIC_IDS = COMPARE_METRICS.map((m) => m.id) as MetricId[];

/**
 * Queries per request is a count over a window: requests in flight at the window's edges can move it
 * by a few thousandths. A rise smaller than this (queries/request) is counting noise, not a new query;
 * an added query on 1% of requests still shows as +0.01.
 */
export const EXACT_TOLERANCE_QUERIES_PER_REQUEST = 0.005;

export function metricById(id: MetricId): CompareMetric {
  return COMPARE_METRICS.find((m) => m.id === id)!;
}

/** A metric by id or alias (`rps`, `p99`, …), for flags and config files; undefined when unknown. */
export function findMetric(name: string): CompareMetric | undefined {
  return COMPARE_METRICS.find((m) => m.id === name || m.alias === name);
}
