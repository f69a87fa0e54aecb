import { dashboard, queryVariable } from './grafana.ts';
import { orZero, sel } from './promql.ts';

/**
 * k6's metrics as its experimental-prometheus-rw output writes them (remote write, pushed every
 * K6_PROMETHEUS_RW_PUSH_INTERVAL; set it to 1s so that 4 s rate windows hold two points), with
 * K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true: trends become native histograms named with
 * their base unit (k6_http_req_duration_seconds, no _bucket series). Runs are told apart by the
 * `testid` tag (`k6 run --tag testid=...`). These panels are checked by the k6 tests (issue 5).
 */
const T = (metric: string, extra = '') => sel(metric, extra, 'testid');
const rateT = (metric: string, extra = '') => `rate(${T(metric, extra)}[$__rate_interval])`;
const nativeQuantile = (q: number, by = 'testid') =>
  `histogram_quantile(${q}, sum by (${by}) (${rateT('k6_http_req_duration_seconds')}))`;

export const k6Dashboard = dashboard({
  uid: 'jobbench-k6',
  title: 'jobbench / Load generator (k6)',
  description:
    'What k6 sent and saw, live, by test id: request rate, failures, latency from native histograms, VUs, dropped iterations.',
  variables: [queryVariable('testid', 'Test id', 'k6_http_reqs_total')],
  panels: [
    {
      title: 'Requests/s',
      description: 'rate(k6_http_reqs_total): the achieved arrival rate; compare with the target rate of the scenario.',
      unit: 'reqps',
      queries: [{ expr: `sum by (testid) (${rateT('k6_http_reqs_total')})`, legend: '{{testid}}' }],
    },
    {
      title: 'Failed requests/s',
      description:
        'Requests k6 counts as failed (expected_response="false": status outside the expected range, or no response).',
      unit: 'reqps',
      queries: [
        {
          expr: orZero(
            `sum by (testid) (${rateT('k6_http_reqs_total', 'expected_response="false"')})`,
            `sum by (testid) (${rateT('k6_http_reqs_total')})`,
          ),
          legend: '{{testid}}',
        },
      ],
    },
    {
      title: 'Latency p50 / p90 / p99 (k6, native histogram)',
      description:
        'histogram_quantile over k6_http_req_duration_seconds, measured by the client: includes the network and queueing on the client side.',
      unit: 's',
      queries: [
        { expr: nativeQuantile(0.5), legend: '{{testid}} p50' },
        { expr: nativeQuantile(0.9), legend: '{{testid}} p90' },
        { expr: nativeQuantile(0.99), legend: '{{testid}} p99' },
      ],
    },
    {
      title: 'Requests/s by request name',
      description: 'rate(k6_http_reqs_total) by the `name` tag the script sets ("GET /jobs/:id"): the mix as sent.',
      unit: 'reqps',
      queries: [{ expr: `sum by (testid, name) (${rateT('k6_http_reqs_total')})`, legend: '{{testid}} {{name}}' }],
    },
    {
      title: 'Latency p99 by request name (k6)',
      description:
        "p99 of k6_http_req_duration_seconds per request name; compare with the API dashboard's p99 by route.",
      unit: 's',
      queries: [{ expr: nativeQuantile(0.99, 'testid, name'), legend: '{{testid}} {{name}}' }],
    },
    {
      title: 'Virtual users',
      description: 'k6_vus: VUs running. In an arrival-rate scenario VUs grow when responses slow down.',
      unit: 'short',
      queries: [{ expr: `sum by (testid) (${T('k6_vus')})`, legend: '{{testid}}' }],
    },
    {
      title: 'Dropped iterations',
      description:
        'Iterations k6 could not start on schedule (no free VU). Any value above 0 makes the run invalid for latency claims.',
      unit: 'short',
      queries: [
        {
          expr: orZero(
            `sum by (testid) (increase(${T('k6_dropped_iterations_total')}[$__rate_interval]))`,
            `sum by (testid) (${T('k6_vus')})`,
          ),
          legend: '{{testid}}',
        },
      ],
    },
    {
      title: 'Iterations/s',
      description: 'rate(k6_iterations_total): scenario iterations completed per second.',
      unit: 'ops',
      queries: [{ expr: `sum by (testid) (${rateT('k6_iterations_total')})`, legend: '{{testid}}' }],
    },
  ],
});
