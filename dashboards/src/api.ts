import { METRIC } from '../../src/metrics/names.ts';
import { dashboard, queryVariable } from './grafana.ts';
import { orZero, quantile, rate, sel } from './promql.ts';

const REQ = METRIC.httpRequests;
const DUR = METRIC.httpRequestDuration;

const latency = (q: number, label: string) => ({
  title: `Latency ${label} by route`,
  description: `${label} of ${DUR} (histogram_quantile over rate). Buckets start at 100 µs; the harness's µs HDR histogram is the precise number, this one is for watching live.`,
  unit: 's' as const,
  queries: [{ expr: quantile(q, DUR, 'adapter, route'), legend: '{{adapter}} {{route}}' }],
  width: 8,
});

export const apiDashboard = dashboard({
  uid: 'jobbench-api',
  title: 'jobbench / API',
  description: 'The job API as its clients see it: traffic, errors, latency per route, requests in flight.',
  variables: [queryVariable('adapter', 'Adapter', METRIC.info)],
  panels: [
    {
      type: 'stat',
      title: 'Requests/s',
      description: `All routes, from ${REQ} (GET /metrics is not counted).`,
      unit: 'reqps',
      queries: [{ expr: `sum(${rate(sel(REQ))})`, legend: 'requests/s' }],
    },
    {
      type: 'stat',
      title: '5xx share',
      description: 'Share of responses with a 5xx status: 503 means the pool or the database could not serve in time.',
      unit: 'percentunit',
      queries: [
        {
          expr: `${orZero(`sum(${rate(sel(REQ, 'status_code=~"5.."'))})`, `sum(${rate(sel(REQ))})`)} / sum(${rate(sel(REQ))})`,
          legend: '5xx share',
        },
      ],
    },
    {
      type: 'stat',
      title: 'In flight',
      description: `${METRIC.httpRequestsInFlight}: requests received and not yet answered.`,
      unit: 'short',
      queries: [{ expr: `sum(${sel(METRIC.httpRequestsInFlight)})`, legend: 'in flight' }],
    },
    {
      type: 'table',
      title: 'Running API',
      description: `${METRIC.info}: adapter, pool size and version of each API being scraped.`,
      unit: 'none',
      queries: [{ expr: `max by (adapter, pool_max, version) (${sel(METRIC.info)})`, legend: '', instant: true }],
      width: 6,
      height: 4,
    },
    {
      title: 'Requests/s by route',
      description: `rate(${REQ}) by method and route template.`,
      unit: 'reqps',
      queries: [
        { expr: `sum by (adapter, method, route) (${rate(sel(REQ))})`, legend: '{{adapter}} {{method}} {{route}}' },
      ],
    },
    {
      title: 'Responses/s by status code',
      description:
        '2xx, 4xx (bad input, unknown ids and routes), 5xx (503: pool or database unavailable; 499: the client hung up first).',
      unit: 'reqps',
      queries: [{ expr: `sum by (adapter, status_code) (${rate(sel(REQ))})`, legend: '{{adapter}} {{status_code}}' }],
    },
    {
      title: 'Error responses/s by route (4xx and 5xx)',
      description: 'Which route produces the errors, and which status.',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (adapter, route, status_code) (${rate(sel(REQ, 'status_code=~"[45].."'))})`,
          legend: '{{adapter}} {{route}} {{status_code}}',
        },
      ],
    },
    {
      title: '5xx share by route',
      description: "Share of each route's responses that were 5xx; 0 when there were none.",
      unit: 'percentunit',
      queries: [
        {
          expr: `${orZero(`sum by (adapter, route) (${rate(sel(REQ, 'status_code=~"5.."'))})`, `sum by (adapter, route) (${rate(sel(REQ))})`)} / sum by (adapter, route) (${rate(sel(REQ))})`,
          legend: '{{adapter}} {{route}}',
        },
      ],
    },
    latency(0.5, 'p50'),
    latency(0.9, 'p90'),
    latency(0.99, 'p99'),
    {
      title: 'Mean latency by route',
      description: `sum / count of ${DUR}: moves with every request, unlike the bucketed quantiles.`,
      unit: 's',
      queries: [
        {
          expr: `sum by (adapter, route) (${rate(sel(`${DUR}_sum`))}) / sum by (adapter, route) (${rate(sel(`${DUR}_count`))})`,
          legend: '{{adapter}} {{route}}',
        },
      ],
    },
    {
      title: 'Requests in flight',
      description:
        'Concurrency inside the server; with a closed-model load it equals the connections the generator keeps busy.',
      unit: 'short',
      queries: [{ expr: `sum by (adapter) (${sel(METRIC.httpRequestsInFlight)})`, legend: '{{adapter}}' }],
    },
  ],
});
