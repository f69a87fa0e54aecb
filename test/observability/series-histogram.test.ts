import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_S } from '../../src/metrics/names.ts';
import { createSeriesHistogram } from '../../src/metrics/series-histogram.ts';

// Values on, between and beyond the bucket bounds, in two series and out of order.
const OBSERVATIONS: [string, number][] = [
  ['200', 0.00005],
  ['200', 0.0001],
  ['200', 0.00031],
  ['404', 0.002],
  ['200', 0.7],
  ['200', 12],
  ['404', 0],
  ['200', 0.0002],
];
const LABEL_NAMES = ['method', 'route', 'status_code'] as const;

/** The same observations through prom-client's own Histogram + Counter, and through the series histogram. */
function twoRegistries() {
  const reference = new Registry();
  const ours = new Registry();
  for (const r of [reference, ours]) r.setDefaultLabels({ adapter: 'pg-pool' });
  const h = new Histogram({
    name: 'x_duration_seconds',
    help: 'help h',
    labelNames: LABEL_NAMES,
    buckets: [...DURATION_BUCKETS_S],
    registers: [reference],
  });
  const c = new Counter({ name: 'x_total', help: 'help c', labelNames: LABEL_NAMES, registers: [reference] });
  const s = createSeriesHistogram({
    name: 'x_duration_seconds',
    help: 'help h',
    labelNames: LABEL_NAMES,
    bucketsS: DURATION_BUCKETS_S,
    registers: [ours],
    counter: { name: 'x_total', help: 'help c' },
  });
  const series = new Map<string, ReturnType<typeof s.series>>();
  for (const [status, v] of OBSERVATIONS) {
    const labels = { method: 'GET', route: '/jobs/:id', status_code: status };
    h.observe(labels, v);
    c.inc(labels);
    if (!series.has(status)) series.set(status, s.series(labels));
    series.get(status)!.observe(v);
  }
  return { reference, ours };
}

describe('series histogram (the request path metrics)', () => {
  it("exposes exactly prom-client's text for the same observations", async () => {
    const { reference, ours } = twoRegistries();
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it("gives prom-client's JSON, so a cluster's AggregatorRegistry sums it like prom-client's", async () => {
    const { reference, ours } = twoRegistries();
    expect(await ours.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    const twice = (r: Registry) => Promise.all([r.getMetricsAsJSON(), r.getMetricsAsJSON()]);
    const summed = async (r: Registry) => AggregatorRegistry.aggregate(await twice(r)).metrics();
    expect(await summed(ours)).toBe(await summed(reference));
  });

  it('starts a series at zero when it is resolved, and resets with the registry', async () => {
    const registry = new Registry();
    const s = createSeriesHistogram({
      name: 'y_seconds',
      help: 'y',
      labelNames: ['operation'] as const,
      bucketsS: [0.1, 1],
      registers: [registry],
    });
    s.series({ operation: 'get' });
    expect(await registry.metrics()).toContain('y_seconds_count{operation="get"} 0');
    s.series({ operation: 'get' }).observe(0.5);
    expect(await registry.metrics()).toContain('y_seconds_bucket{le="1",operation="get"} 1');
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('y_seconds_count{operation="get"} 0');
  });
});
