import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { DASHBOARDS, REPO_ROOT } from '../../dashboards/build.ts';
import type { Dashboard } from '../../dashboards/src/grafana.ts';
import { expandExpr } from '../../dashboards/src/promql.ts';
import { availableAdapters, type AdapterName } from '../../src/adapters/registry.ts';
import { METRIC } from '../../src/metrics/names.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { checkExposition, parseSamples, PROMTOOL, sumOf, type Sample } from './exposition.ts';
import { PROMETHEUS_BIN, startPrometheus, type PrometheusProcess } from './prometheus-process.ts';

/**
 * The dashboards' promise, checked end to end: real `jobbench serve` processes (one per adapter)
 * on real PostgreSQL, scraped every second by a real Prometheus, a short load over every route,
 * then every PromQL expression of every API-fed panel evaluated through Prometheus' HTTP API must
 * return data, for all adapters together and for each one alone. k6 panels are only checked to
 * parse here; the k6 tests (issue 5) feed them and check their data.
 */
if (!PROMETHEUS_BIN) {
  process.stderr.write(
    'test/observability/promql.test.ts: SKIPPED: no `prometheus` binary on PATH (apt-get install prometheus; .ci/run installs it)\n',
  );
}

const LOAD_S = 6; // long enough for several 4 s rate windows at a 1 s scrape interval
const WORKERS_PER_TARGET = 4;
const RATE_INTERVAL = '4s'; // Grafana's $__rate_interval at a 1 s scrape interval: 4 x scrape interval

interface Call {
  method: 'GET' | 'POST';
  path: (ids: string[], i: number) => string;
  body?: unknown;
  route: string; // the label we expect the metrics to use
  status: number;
}

const NEW_JOB = {
  title: 'Observability engineer',
  company: 'Acme',
  location: 'Nantes',
  contract: 'contract',
  remote: false,
  salaryMin: 40_000,
  salaryMax: 45_000,
  tags: ['grafana'],
  description: 'Watches dashboards.',
};

/** Every route, with successes and the errors a client can provoke. */
const CALLS: Call[] = [
  { method: 'GET', path: () => '/health', route: '/health', status: 200 },
  { method: 'GET', path: () => '/ready', route: '/ready', status: 200 },
  { method: 'GET', path: (ids, i) => `/jobs/${ids[i % ids.length]}`, route: '/jobs/:id', status: 200 },
  { method: 'GET', path: () => '/jobs/999999999', route: '/jobs/:id', status: 404 },
  { method: 'GET', path: () => '/jobs/not-a-number', route: '/jobs/:id', status: 400 },
  { method: 'GET', path: () => '/jobs?limit=5', route: '/jobs', status: 200 },
  { method: 'GET', path: () => '/jobs?q=engineer&remote=true&limit=10', route: '/jobs', status: 200 },
  { method: 'GET', path: () => '/jobs?limit=0', route: '/jobs', status: 400 },
  { method: 'GET', path: () => '/jobs/stats', route: '/jobs/stats', status: 200 },
  { method: 'POST', path: () => '/jobs', body: NEW_JOB, route: '/jobs', status: 201 },
  { method: 'POST', path: () => '/jobs', body: { title: '' }, route: '/jobs', status: 400 },
  { method: 'GET', path: (_ids, i) => `/no/such/route/${i}`, route: 'unmatched', status: 404 },
];

const key = (method: string, route: string, status: number | string) => `${method} ${route} ${status}`;

async function send(base: string, call: Call, ids: string[], i: number): Promise<number> {
  const res = await fetch(base + call.path(ids, i), {
    method: call.method,
    ...(call.body !== undefined && {
      body: JSON.stringify(call.body),
      headers: { 'content-type': 'application/json' },
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Sends the calls round-robin from a few workers for `durationS`; returns the count per method/route/status. */
async function drive(base: string, ids: string[], durationS: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const unexpected: string[] = [];
  const until = performance.now() + durationS * 1_000;
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS_PER_TARGET }, async () => {
      while (performance.now() < until) {
        const i = next++;
        const call = CALLS[i % CALLS.length]!;
        const status = await send(base, call, ids, i);
        if (status !== call.status)
          unexpected.push(`${call.method} ${call.path(ids, i)}: ${status}, expected ${call.status}`);
        const k = key(call.method, call.route, status);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }),
  );
  expect(unexpected.slice(0, 5)).toEqual([]);
  return counts;
}

async function metricsOf(base: string): Promise<{ text: string; samples: Sample[] }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return { text, samples: parseSamples(text) };
}

/** Request counts per method/route/status from the API's own counter. */
function countsFrom(samples: Sample[], name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples)
    if (s.name === name) out.set(key(s.labels.method!, s.labels.route!, s.labels.status_code!), s.value);
  return out;
}

function delta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) !== 0) out.set(k, v - (before.get(k) ?? 0));
  return out;
}

const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

interface Series {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

const hasFiniteValue = (result: Series[]) =>
  result.some((s) => (s.values ?? (s.value ? [s.value] : [])).some(([, v]) => Number.isFinite(Number(v))));

function committedDashboards(): { path: string; fedBy: string; dashboard: Dashboard }[] {
  return Object.entries(DASHBOARDS).map(([path, { fedBy }]) => ({
    path,
    fedBy,
    dashboard: JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Dashboard,
  }));
}

describe.skipIf(!PROMETHEUS_BIN)('dashboards on a real Prometheus scraping the real API', () => {
  let db: TestDatabase;
  let adapters: AdapterName[] = [];
  const targets = new Map<AdapterName, Target>();
  const sent = new Map<AdapterName, Map<string, number>>();
  const before = new Map<AdapterName, Sample[]>();
  const after = new Map<AdapterName, { text: string; samples: Sample[] }>();
  let prometheus: PrometheusProcess | undefined;
  let loadStartS = 0;
  let loadEndS = 0;

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 300 });
    ({ available: adapters } = await availableAdapters());
    for (const adapter of adapters)
      targets.set(adapter, await startTarget({ adapter, poolMax: 4, metrics: 'on', via: 'direct' }, db.url));
    prometheus = await startPrometheus([...targets.values()].map((t) => new URL(t.baseUrl).host));
    // Every target up, and scraped at least twice, before the load starts.
    for (let i = 0; ; i++) {
      const { activeTargets } = await prometheus.api<{ activeTargets: { health: string; lastScrape: string }[] }>(
        'targets',
        {},
      );
      if (activeTargets.length === targets.size && activeTargets.every((t) => t.health === 'up')) break;
      if (i > 100) throw new Error(`targets not up: ${JSON.stringify(activeTargets)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2_000));

    const ids = (await db.query<{ id: string }>('SELECT id::text AS id FROM jobs ORDER BY id LIMIT 100')).map(
      (r) => r.id,
    );
    for (const [adapter, t] of targets) before.set(adapter, (await metricsOf(t.baseUrl)).samples);
    loadStartS = Date.now() / 1_000;
    const results = await Promise.all(
      [...targets].map(async ([adapter, t]) => [adapter, await drive(t.baseUrl, ids, LOAD_S)] as const),
    );
    loadEndS = Date.now() / 1_000;
    for (const [adapter, counts] of results) sent.set(adapter, counts);
    for (const [adapter, t] of targets) after.set(adapter, await metricsOf(t.baseUrl));
    await new Promise((r) => setTimeout(r, 2_500)); // the last scrapes after the load
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all([...targets.values()].map((t) => t.stop()));
    await db?.drop();
  });

  it('runs every adapter that loads here', () => {
    expect(adapters).toEqual(expect.arrayContaining(['pg-pool', 'postgres-js', 'kysely']));
  });

  it('counts exactly the requests sent, per method, route template and status', () => {
    for (const adapter of adapters) {
      const b = before.get(adapter)!;
      const a = after.get(adapter)!.samples;
      const expected = sorted(sent.get(adapter)!);
      expect(sorted(delta(countsFrom(a, METRIC.httpRequests), countsFrom(b, METRIC.httpRequests))), adapter).toEqual(
        expected,
      );
      expect(
        sorted(
          delta(
            countsFrom(a, `${METRIC.httpRequestDuration}_count`),
            countsFrom(b, `${METRIC.httpRequestDuration}_count`),
          ),
        ),
        adapter,
      ).toEqual(expected);
      expect(Object.keys(expected).length).toBe(new Set(CALLS.map((c) => key(c.method, c.route, c.status))).size);
      expect(sumOf(a, METRIC.httpRequestsInFlight)).toBe(0);
    }
  });

  it('times every repository operation the routes call', () => {
    for (const adapter of adapters) {
      const d = (operation: string) =>
        sumOf(after.get(adapter)!.samples, `${METRIC.dbQueryDuration}_count`, { operation }) -
        sumOf(before.get(adapter)!, `${METRIC.dbQueryDuration}_count`, { operation });
      const sentTo = (route: string, status: number, method = 'GET') =>
        sent.get(adapter)!.get(key(method, route, status)) ?? 0;
      expect(d('create'), adapter).toBe(sentTo('/jobs', 201, 'POST'));
      expect(d('get'), adapter).toBe(sentTo('/jobs/:id', 200) + sentTo('/jobs/:id', 404));
      expect(d('search'), adapter).toBe(sentTo('/jobs', 200));
      expect(d('stats'), adapter).toBe(sentTo('/jobs/stats', 200));
      expect(d('ping'), adapter).toBe(sentTo('/ready', 200));
    }
  });

  it.skipIf(!PROMTOOL)('serves /metrics that promtool accepts', () => {
    for (const adapter of adapters) {
      const { output } = checkExposition(after.get(adapter)!.text);
      const ours = output.split('\n').filter((l) => l && !/^nodejs_active_(handles|requests|resources)_total /.test(l));
      expect(ours, adapter).toEqual([]);
    }
  });

  it('offers every adapter in the adapter variable', async () => {
    for (const { path, dashboard } of committedDashboards()) {
      for (const variable of dashboard.templating.list) {
        const m = /^label_values\((\w+), (\w+)\)$/.exec(variable.definition);
        expect(m, `${path} $${variable.name}`).not.toBeNull();
        if (variable.name !== 'adapter') continue;
        const values = await prometheus!.api<string[]>(`label/${m![2]}/values`, {
          'match[]': m![1]!,
          start: String(loadStartS - 60),
          end: String(loadEndS + 60),
        });
        expect(values.sort(), path).toEqual([...adapters].sort());
      }
    }
  });

  // One test per dashboard, so that a failure names the dashboard; each lists every empty panel.
  for (const [path, { fedBy }] of Object.entries(DASHBOARDS)) {
    it(`${path}: every panel query ${fedBy === 'api' ? 'returns data, for all adapters and for each' : 'is valid PromQL (data: k6 tests)'}`, async () => {
      const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Dashboard;
      const selections: Record<string, string | string[]>[] =
        fedBy === 'api' ? [{ adapter: '.*' }, ...adapters.map((a) => ({ adapter: a }))] : [{ testid: '.*' }]; // '.*' is the variable's All
      const empty: string[] = [];
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          for (const selection of selections) {
            const expr = expandExpr(target.expr, {
              ...selection,
              __rate_interval: RATE_INTERVAL,
              __interval: '1s',
              __range: `${Math.ceil(loadEndS - loadStartS)}s`,
            });
            const range = { start: String(Math.floor(loadStartS)), end: String(Math.ceil(loadEndS) + 2), step: '1' };
            const data = target.instant
              ? await prometheus!.api<{ result: Series[] }>('query', { query: expr, time: String(loadEndS + 1) })
              : await prometheus!.api<{ result: Series[] }>('query_range', { query: expr, ...range });
            if (fedBy === 'api' && !hasFiniteValue(data.result))
              empty.push(`"${panel.title}" ${target.refId} ${JSON.stringify(selection)}: ${expr}`);
          }
        }
      }
      expect(empty).toEqual([]);
    });
  }
});
