import { METRIC } from '../../src/metrics/names.ts';
import { dashboard, queryVariable } from './grafana.ts';
import { quantile, rate, sel } from './promql.ts';

const DB = METRIC.dbQueryDuration;

export const databaseDashboard = dashboard({
  uid: 'jobbench-database',
  title: 'jobbench / Database',
  description: 'The driver and its pool: connections by state, backends in PostgreSQL, operation latency and errors.',
  variables: [queryVariable('adapter', 'Adapter', METRIC.info)],
  panels: [
    {
      title: 'Pool connections (total / idle / waiting)',
      description:
        `${METRIC.dbPoolConnections}. pg-pool and kysely: from pg's Pool (waiting = requests queued for a connection). ` +
        'postgres-js exposes no pool state: total only, counted in pg_stat_activity by application_name.',
      unit: 'short',
      queries: [
        { expr: `sum by (adapter, state) (${sel(METRIC.dbPoolConnections)})`, legend: '{{adapter}} {{state}}' },
      ],
    },
    {
      title: 'Backends in pg_stat_activity',
      description: `${METRIC.dbBackends}: server processes with application_name = 'jobbench:<adapter>', sampled on scrape (1 s cache). Compare with the pool's own total.`,
      unit: 'short',
      queries: [
        { expr: `sum by (adapter) (${sel(METRIC.dbBackends)})`, legend: '{{adapter}} backends' },
        {
          expr: `sum by (adapter) (${sel(METRIC.dbPoolConnections, 'state="total"')})`,
          legend: '{{adapter}} pool total',
        },
      ],
    },
    {
      title: 'Operations/s by operation',
      description: `rate(${DB}_count): repository calls (create, get, search, stats, ping).`,
      unit: 'ops',
      queries: [
        { expr: `sum by (adapter, operation) (${rate(sel(`${DB}_count`))})`, legend: '{{adapter}} {{operation}}' },
      ],
    },
    {
      title: "Concurrent operations (Little's law)",
      description: `rate(${DB}_sum) = operations in progress on average = connections kept busy. Close to the pool size means the pool is the bottleneck.`,
      unit: 'short',
      queries: [{ expr: `sum by (adapter) (${rate(sel(`${DB}_sum`))})`, legend: '{{adapter}}' }],
    },
    {
      title: 'Operation latency p50 by operation',
      description: `p50 of ${DB}: includes the wait for a pool connection.`,
      unit: 's',
      queries: [{ expr: quantile(0.5, DB, 'adapter, operation'), legend: '{{adapter}} {{operation}}' }],
    },
    {
      title: 'Operation latency p99 by operation',
      description: `p99 of ${DB}: includes the wait for a pool connection.`,
      unit: 's',
      queries: [{ expr: quantile(0.99, DB, 'adapter, operation'), legend: '{{adapter}} {{operation}}' }],
    },
    {
      title: 'Operation errors/s by class',
      description: `rate(${METRIC.dbErrors}) by class: the JobbenchError code (DB_UNAVAILABLE: no connection within the acquire timeout; DB_TIMEOUT: statement timeout) or "other".`,
      unit: 'ops',
      queries: [{ expr: `sum by (adapter, class) (${rate(sel(METRIC.dbErrors))})`, legend: '{{adapter}} {{class}}' }],
    },
    {
      title: 'DB time per HTTP request',
      description: `Seconds spent in repository calls per HTTP request (rate(${DB}_sum) / rate(${METRIC.httpRequests})): the rest of the latency is HTTP, JSON and the event loop.`,
      unit: 's',
      queries: [
        {
          expr: `sum by (adapter) (${rate(sel(`${DB}_sum`))}) / sum by (adapter) (${rate(sel(METRIC.httpRequests))})`,
          legend: '{{adapter}}',
        },
      ],
    },
  ],
});
