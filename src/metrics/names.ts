/**
 * Metric names, label sets and buckets: the contract between the API, the dashboards
 * (dashboards/src/*) and the tests. Prometheus conventions: base units in the name
 * (`_seconds`), `_total` on counters, labels with a small closed set of values.
 */
export const METRIC = {
  httpRequestDuration: 'http_request_duration_seconds',
  httpRequests: 'http_requests_total',
  httpRequestsInFlight: 'http_requests_in_flight',
  dbQueryDuration: 'jobbench_db_query_duration_seconds',
  dbErrors: 'jobbench_db_errors_total',
  dbPoolConnections: 'jobbench_db_pool_connections',
  dbBackends: 'jobbench_db_backends',
  info: 'jobbench_info',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The repository port's operations, as they appear in the `operation` label. */
export const DB_OPERATIONS = ['create', 'get', 'search', 'stats', 'ping'] as const;
export type DbOperation = (typeof DB_OPERATIONS)[number];

/** Values of the `state` label of the pool gauge; the same three numbers as PoolStats. */
export const POOL_STATES = ['total', 'idle', 'waiting'] as const;
export type PoolState = (typeof POOL_STATES)[number];

/** Route label for requests that matched no route: raw URLs would make cardinality unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Status label for requests the client abandoned before the response (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;
/** Error class for anything that is not a JobbenchError. */
export const OTHER_ERROR_CLASS = 'other';

export const METRICS_PATH = '/metrics';

/**
 * 100 µs .. 10 s in a 1-2-5 progression: a point lookup takes well under 1 ms here, so the
 * sub-millisecond buckets are what tell drivers apart; 10 s is past every timeout we set.
 * Used for both the HTTP and the DB histograms so their quantiles are comparable.
 */
export const DURATION_BUCKETS_S = [
  0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10,
] as const;
