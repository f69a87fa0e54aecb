import { METRIC } from '../../src/metrics/names.ts';
import { dashboard, queryVariable } from './grafana.ts';
import { rate, sel } from './promql.ts';

// Node's default metrics come from prom-client's collectDefaultMetrics; the registry adds the
// adapter label to them (src/metrics/create-metrics.ts).
export const runtimeDashboard = dashboard({
  uid: 'jobbench-runtime',
  title: 'jobbench / Runtime',
  description:
    'The Node.js process: event-loop lag, CPU (also per request), memory, garbage collection, file descriptors.',
  variables: [queryVariable('adapter', 'Adapter', METRIC.info)],
  panels: [
    {
      title: 'Event-loop lag (mean, p99, max)',
      description:
        'From perf_hooks.monitorEventLoopDelay (10 ms resolution), reset at every scrape: each point covers one scrape interval. A scrape by anyone else resets it too.',
      unit: 's',
      queries: [
        { expr: `max by (adapter) (${sel('nodejs_eventloop_lag_mean_seconds')})`, legend: '{{adapter}} mean' },
        { expr: `max by (adapter) (${sel('nodejs_eventloop_lag_p99_seconds')})`, legend: '{{adapter}} p99' },
        { expr: `max by (adapter) (${sel('nodejs_eventloop_lag_max_seconds')})`, legend: '{{adapter}} max' },
      ],
    },
    {
      title: 'CPU (cores)',
      description: 'User and system CPU seconds per second of the API process: 1 = one core busy.',
      unit: 'short',
      queries: [
        { expr: `sum by (adapter) (${rate(sel('process_cpu_user_seconds_total'))})`, legend: '{{adapter}} user' },
        { expr: `sum by (adapter) (${rate(sel('process_cpu_system_seconds_total'))})`, legend: '{{adapter}} system' },
      ],
    },
    {
      title: 'CPU per request',
      description: `CPU seconds of the process per HTTP request: the live view of the harness's serverCpuUsPerRequest.`,
      unit: 's',
      queries: [
        {
          expr: `sum by (adapter) (${rate(sel('process_cpu_seconds_total'))}) / sum by (adapter) (${rate(sel(METRIC.httpRequests))})`,
          legend: '{{adapter}}',
        },
      ],
    },
    {
      title: 'Memory: RSS and heap',
      description: 'Resident set size of the process, and V8 heap used and total.',
      unit: 'bytes',
      queries: [
        { expr: `max by (adapter) (${sel('process_resident_memory_bytes')})`, legend: '{{adapter}} rss' },
        { expr: `max by (adapter) (${sel('nodejs_heap_size_used_bytes')})`, legend: '{{adapter}} heap used' },
        { expr: `max by (adapter) (${sel('nodejs_heap_size_total_bytes')})`, legend: '{{adapter}} heap total' },
      ],
    },
    {
      title: 'GC time share by kind',
      description:
        'Seconds of garbage collection per second (rate of nodejs_gc_duration_seconds_sum). prom-client reads one entry per observer callback, so counts are a lower bound under heavy GC.',
      unit: 'percentunit',
      queries: [
        {
          expr: `sum by (adapter, kind) (${rate(sel('nodejs_gc_duration_seconds_sum'))})`,
          legend: '{{adapter}} {{kind}}',
        },
      ],
    },
    {
      title: 'GC runs/s by kind',
      description: 'Garbage collections per second: minor (scavenge), major (mark-sweep-compact), incremental, weakcb.',
      unit: 'ops',
      queries: [
        {
          expr: `sum by (adapter, kind) (${rate(sel('nodejs_gc_duration_seconds_count'))})`,
          legend: '{{adapter}} {{kind}}',
        },
      ],
    },
    {
      title: 'Open file descriptors',
      description: 'Sockets and files held by the process, against its limit: the ceiling of a max-connections test.',
      unit: 'short',
      queries: [
        { expr: `max by (adapter) (${sel('process_open_fds')})`, legend: '{{adapter}} open' },
        { expr: `max by (adapter) (${sel('process_max_fds')})`, legend: '{{adapter}} limit' },
      ],
    },
  ],
});
