import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { AdapterName } from '../adapters/registry.ts';
import type { PoolStats } from '../domain/job.ts';
import { cachedSample } from './cached-sample.ts';
import { createSeriesHistogram, type SeriesHistogram } from './series-histogram.ts';
import { DB_OPERATIONS, DURATION_BUCKETS_S, METRIC, OTHER_ERROR_CLASS, POOL_STATES } from './names.ts';

const EVENT_LOOP_LAG_PRECISION_MS = 100;

export interface MetricsOptions {
  adapter: AdapterName;
  poolMax: number;
  version: string; // jobbench's package version
  /** The driver's pool gauges (JobRepository.poolStats), or null when the driver cannot tell. */
  poolStats: () => PoolStats | null;
  /** Counts this adapter's backends in pg_stat_activity; called on scrape, at most once per backendsCacheMs. */
  sampleBackends?: () => Promise<number>;
  backendsCacheMs?: number; // default 1 s: the scrape interval we ship
  backendsTimeoutMs?: number; // default 500 ms: a scrape never waits longer on pg_stat_activity
  /** Node's default metrics (event loop, GC, heap, CPU, RSS); on unless a test turns them off. */
  defaultMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  readonly adapter: AdapterName;
  /** Also exposes http_requests_total (its count per series). */
  readonly httpRequestDuration: SeriesHistogram<'method' | 'route' | 'status_code'>;
  /** Requests received and not answered yet: incremented and decremented by the hooks, read on scrape. */
  readonly httpRequestsInFlight: { count: number };
  readonly dbQueryDuration: SeriesHistogram<'adapter' | 'operation'>;
  readonly dbErrors: Counter<'adapter' | 'class'>;
}

/** Error classes created at zero so that error panels show 0 rather than "no data". */
const PRESET_ERROR_CLASSES = ['JOBBENCH_ERR_DB_UNAVAILABLE', 'JOBBENCH_ERR_DB_TIMEOUT', OTHER_ERROR_CLASS] as const;

function readPoolStats(poolStats: () => PoolStats | null): PoolStats | null {
  try {
    return poolStats();
  } catch {
    return null; // a closed pool must not fail the scrape
  }
}

/**
 * Every metric of the API in one explicit Registry (never prom-client's global one, so that
 * tests and several apps in one process do not collide). `adapter` is also a default label of
 * the registry: HTTP and Node runtime series carry it at exposition time, at no cost per request.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const { adapter } = options;
  const registry = new Registry();
  registry.setDefaultLabels({ adapter });
  const registers = [registry];

  // The per-request metrics are series histograms (series-histogram.ts): resolved once per label set,
  // a few additions per observation. http_requests_total is the HTTP histogram's count per series.
  const httpRequestDuration = createSeriesHistogram({
    name: METRIC.httpRequestDuration,
    help: 'HTTP request duration in seconds, from routing to the last byte written, by route template.',
    labelNames: ['method', 'route', 'status_code'] as const,
    bucketsS: DURATION_BUCKETS_S,
    registers,
    counter: { name: METRIC.httpRequests, help: 'HTTP requests completed, by route template and status code.' },
  });
  // A plain number per request, read into the gauge on scrape.
  const httpRequestsInFlight = { count: 0 };
  new Gauge({
    name: METRIC.httpRequestsInFlight,
    help: 'HTTP requests received and not yet answered (GET /metrics excluded).',
    registers,
    collect() {
      this.set(httpRequestsInFlight.count);
    },
  });

  const dbQueryDuration = createSeriesHistogram({
    name: METRIC.dbQueryDuration,
    help: 'Duration of one repository operation in seconds, including the wait for a pool connection.',
    labelNames: ['adapter', 'operation'] as const,
    bucketsS: DURATION_BUCKETS_S,
    registers,
  });
  for (const operation of DB_OPERATIONS) dbQueryDuration.series({ adapter, operation }); // zero series
  const dbErrors = new Counter({
    name: METRIC.dbErrors,
    help: 'Repository operations that failed, by error class (the JobbenchError code, or "other").',
    labelNames: ['adapter', 'class'] as const,
    registers,
  });
  for (const errorClass of PRESET_ERROR_CLASSES) dbErrors.inc({ adapter, class: errorClass }, 0);

  const backends = options.sampleBackends
    ? cachedSample(options.sampleBackends, {
        cacheMs: options.backendsCacheMs ?? 1_000,
        timeoutMs: options.backendsTimeoutMs ?? 500,
      })
    : null;

  // Aggregation across `serve --workers N` (prom-client's AggregatorRegistry sums by default): driver
  // pool gauges add up over workers; a count of backends from pg_stat_activity is the same in every
  // worker, so the cluster's value is any one of them (max), not their sum.
  const poolFromDriver = readPoolStats(options.poolStats) !== null;
  new Gauge({
    name: METRIC.dbPoolConnections,
    aggregator: poolFromDriver ? 'sum' : 'max',
    help: 'Pool connections by state: from the driver when it exposes them (pg Pool), else total = backends in pg_stat_activity.',
    labelNames: ['adapter', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      const stats = readPoolStats(options.poolStats);
      if (stats) {
        for (const state of POOL_STATES) this.set({ adapter, state }, stats[state]);
        return;
      }
      const total = backends ? await backends() : null;
      if (total !== null) this.set({ adapter, state: 'total' }, total);
    },
  });
  if (backends) {
    new Gauge({
      name: METRIC.dbBackends,
      aggregator: 'max',
      help: "Server backends with application_name = 'jobbench:<adapter>' in pg_stat_activity, sampled on scrape.",
      labelNames: ['adapter'] as const,
      registers,
      async collect() {
        this.reset();
        const count = await backends();
        if (count !== null) this.set({ adapter }, count);
      },
    });
  }

  new Gauge({
    name: METRIC.info,
    help: 'Always 1; labels describe the running API.',
    labelNames: ['adapter', 'pool_max', 'version'] as const,
    aggregator: 'max',
    registers,
  }).set({ adapter, pool_max: String(options.poolMax), version: options.version }, 1);

  // prom-client's event-loop lag gauges sample every 100 ms, not its default 10: its timer wakes the
  // process whether or not anyone is connected, and at 100 Hz an idle server slowed another one measured
  // beside it by ~6% on /health (scripts/idle-neighbour.sh); at 10 Hz, not measurably. A window's
  // event-loop delay at 1 ms resolution is /internal/process's (src/http/process-monitor.ts).
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_LAG_PRECISION_MS });

  return { registry, adapter, httpRequestDuration, httpRequestsInFlight, dbQueryDuration, dbErrors };
}
