import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, METRIC, registerMetrics, type Metrics } from '../../src/metrics/index.ts';
import { checkExposition, parseSamples, PROMTOOL, sumOf } from './exposition.ts';

// prom-client's own default gauges that promtool's linter flags (they end in _total but are gauges).
// Ours must pass the linter with no complaint at all.
const PROM_CLIENT_LINT_EXCEPTIONS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

async function scrape(app: FastifyInstance) {
  const res = await app.inject('/metrics');
  expect(res.statusCode).toBe(200);
  return { text: res.body, samples: parseSamples(res.body), contentType: res.headers['content-type'] };
}

/** A tiny stand-in for src/app.ts: the hooks only care about route templates and status codes. */
function tinyApp(metrics: Metrics): FastifyInstance {
  const app = Fastify();
  registerMetrics(app, metrics);
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/jobs/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    return id === '404' ? reply.code(404).send({ code: 'JOBBENCH_ERR_NOT_FOUND' }) : { id };
  });
  app.post('/jobs', async (_request, reply) => reply.code(201).send({ id: '1' }));
  return app;
}

describe('HTTP metrics on a Fastify app', () => {
  let app: FastifyInstance;
  let metrics: Metrics;

  beforeAll(async () => {
    metrics = createMetrics({
      adapter: 'pg-pool',
      poolMax: 7,
      version: '9.9.9',
      poolStats: () => ({ total: 3, idle: 2, waiting: 1 }),
    });
    app = tinyApp(metrics);
    await app.ready();
  });
  afterAll(() => app.close());

  it('labels requests with the route template, never the raw URL', async () => {
    for (const id of ['1', '2', '3', '404']) await app.inject(`/jobs/${id}`);
    const { samples } = await scrape(app);
    expect(sumOf(samples, METRIC.httpRequests, { route: '/jobs/:id', status_code: '200', method: 'GET' })).toBe(3);
    expect(sumOf(samples, METRIC.httpRequests, { route: '/jobs/:id', status_code: '404' })).toBe(1);
    const routes = new Set(samples.filter((s) => s.name === METRIC.httpRequests).map((s) => s.labels.route));
    expect([...routes].some((r) => r?.includes('/jobs/1'))).toBe(false);
  });

  it('gives every unmatched URL the one label "unmatched"', async () => {
    for (const path of ['/nope', '/nope/1', '/jobs/1/extra', '/x?y=z']) await app.inject(path);
    const { samples } = await scrape(app);
    expect(sumOf(samples, METRIC.httpRequests, { route: 'unmatched', status_code: '404' })).toBe(4);
  });

  it('counts each request once in the counter and once in the histogram', async () => {
    const before = (await scrape(app)).samples;
    for (let i = 0; i < 25; i++) await app.inject({ method: 'POST', url: '/jobs', payload: {} });
    const after = (await scrape(app)).samples;
    const labels = { method: 'POST', route: '/jobs', status_code: '201' };
    const delta = (name: string) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(delta(METRIC.httpRequests)).toBe(25);
    expect(delta(`${METRIC.httpRequestDuration}_count`)).toBe(25);
    expect(sumOf(after, `${METRIC.httpRequestDuration}_bucket`, { ...labels, le: '+Inf' })).toBe(
      sumOf(after, `${METRIC.httpRequestDuration}_count`, labels),
    );
  });

  it('does not record scrapes of /metrics', async () => {
    for (let i = 0; i < 3; i++) await scrape(app);
    const { samples } = await scrape(app);
    expect(sumOf(samples, METRIC.httpRequests, { route: '/metrics' })).toBe(0);
  });

  it('has buckets from 100 µs to 10 s', async () => {
    await app.inject('/health');
    const { samples } = await scrape(app);
    const les = samples
      .filter((s) => s.name === `${METRIC.httpRequestDuration}_bucket` && s.labels.route === '/health')
      .map((s) => s.labels.le);
    expect(les[0]).toBe('0.0001');
    expect(les.at(-2)).toBe('10');
    expect(les.at(-1)).toBe('+Inf');
  });

  it('exports the pool gauges from poolStats, the info gauge and the adapter on every series', async () => {
    const { samples } = await scrape(app);
    expect(sumOf(samples, METRIC.dbPoolConnections, { state: 'total' })).toBe(3);
    expect(sumOf(samples, METRIC.dbPoolConnections, { state: 'idle' })).toBe(2);
    expect(sumOf(samples, METRIC.dbPoolConnections, { state: 'waiting' })).toBe(1);
    expect(sumOf(samples, METRIC.info, { adapter: 'pg-pool', pool_max: '7', version: '9.9.9' })).toBe(1);
    expect(samples.filter((s) => s.labels.adapter !== 'pg-pool')).toEqual([]);
    for (const name of [
      'nodejs_eventloop_lag_max_seconds',
      'nodejs_eventloop_lag_mean_seconds',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(
        samples.some((s) => s.name === name),
        name,
      ).toBe(true);
    }
  });

  it.skipIf(!PROMTOOL)('serves valid exposition format (promtool check metrics)', async () => {
    const { text, contentType } = await scrape(app);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const { output } = checkExposition(text);
    // Exit 1 is a parse error; lint findings are listed one per line, naming the metric.
    const findings = output.split('\n').filter(Boolean);
    for (const line of findings)
      expect(
        PROM_CLIENT_LINT_EXCEPTIONS.some((name) => line.startsWith(`${name} `)),
        line,
      ).toBe(true);
  });
});

describe('the in-flight gauge', () => {
  it('counts requests being handled and returns to zero, also when the client hangs up (once its handler has answered)', async () => {
    const metrics = createMetrics({
      adapter: 'kysely',
      poolMax: 1,
      version: '0',
      poolStats: () => null,
      defaultMetrics: false,
    });
    const app = Fastify({ forceCloseConnections: true });
    registerMetrics(app, metrics);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    app.get('/slow', async () => {
      entered();
      await gate;
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const abort = new AbortController();
      const pending = fetch(`${base}/slow`, { signal: abort.signal }).catch(() => 'aborted');
      await inside;
      const during = parseSamples(await (await fetch(`${base}/metrics`)).text());
      expect(sumOf(during, METRIC.httpRequestsInFlight)).toBe(1);
      abort.abort();
      expect(await pending).toBe('aborted');
      // The abort hook runs on the socket's close event: poll for it while the handler still waits.
      const metricsNow = async () => parseSamples(await (await fetch(`${base}/metrics`)).text());
      let after = await metricsNow();
      for (let i = 0; i < 100 && sumOf(after, METRIC.httpRequests, { route: '/slow' }) === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        after = await metricsNow();
      }
      expect(sumOf(after, METRIC.httpRequests, { route: '/slow', status_code: '499' })).toBe(1);
      // Counted, but its handler still runs (and could still query the database): still in flight, so a
      // window's edge waits for it rather than counting the request on one side and its queries on the other.
      expect(sumOf(after, METRIC.httpRequestsInFlight)).toBe(1);
      release(); // the handler now answers a socket that is gone: still one request, not two
      for (let i = 0; i < 100 && sumOf(after, METRIC.httpRequestsInFlight) !== 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        after = await metricsNow();
      }
      expect(sumOf(after, METRIC.httpRequests, { route: '/slow' })).toBe(1);
      expect(sumOf(after, METRIC.httpRequestsInFlight)).toBe(0);
    } finally {
      release();
      await app.close();
    }
  });
});

describe('pool gauges when the driver cannot tell', () => {
  it('falls back to the backends sample for state="total", sampled at most once per cache window', async () => {
    let calls = 0;
    const metrics = createMetrics({
      adapter: 'postgres-js',
      poolMax: 4,
      version: '0',
      poolStats: () => null,
      sampleBackends: async () => {
        calls += 1;
        return 4;
      },
      backendsCacheMs: 60_000,
      defaultMetrics: false,
    });
    const first = parseSamples(await metrics.registry.metrics());
    const second = parseSamples(await metrics.registry.metrics());
    for (const samples of [first, second]) {
      expect(sumOf(samples, METRIC.dbPoolConnections, { state: 'total' })).toBe(4);
      expect(samples.some((s) => s.name === METRIC.dbPoolConnections && s.labels.state !== 'total')).toBe(false);
      expect(sumOf(samples, METRIC.dbBackends)).toBe(4);
    }
    expect(calls).toBe(1);
  });

  it('leaves the gauges out rather than failing the scrape when sampling fails', async () => {
    const metrics = createMetrics({
      adapter: 'postgres-js',
      poolMax: 4,
      version: '0',
      poolStats: () => null,
      sampleBackends: () => Promise.reject(new Error('database down')),
      defaultMetrics: false,
    });
    const samples = parseSamples(await metrics.registry.metrics());
    expect(samples.filter((s) => s.name === METRIC.dbPoolConnections || s.name === METRIC.dbBackends)).toEqual([]);
    expect(sumOf(samples, METRIC.info)).toBe(1);
  });
});
