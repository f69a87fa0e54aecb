import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, generate, REPO_ROOT, stale } from '../../dashboards/build.ts';
import { DATASOURCE, type Dashboard } from '../../dashboards/src/grafana.ts';
import { expandExpr } from '../../dashboards/src/promql.ts';
import { grafanaDatasources } from '../../dashboards/src/stack.ts';
import { METRIC } from '../../src/metrics/names.ts';
import { PROMTOOL } from './exposition.ts';

const committed = Object.entries(DASHBOARDS).map(([path, { fedBy }]) => ({
  path,
  fedBy,
  dashboard: JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Dashboard,
}));

describe('dashboards as code', () => {
  it('the committed files are exactly what `npm run dashboards` generates now', () => {
    expect(stale()).toEqual([]);
  });

  it('dashboards/grafana holds no dashboard that the generator does not make', () => {
    const generated = [...generate().keys()].filter((p) => p.startsWith('dashboards/grafana/'));
    expect(
      readdirSync(join(REPO_ROOT, 'dashboards/grafana'))
        .map((f) => `dashboards/grafana/${f}`)
        .sort(),
    ).toEqual(generated.sort());
  });

  it('has the four dashboards the issue lists, with unique uids', () => {
    const titles = committed.map((d) => d.dashboard.title);
    expect(titles).toEqual([
      'jobbench / API',
      'jobbench / Database',
      'jobbench / Runtime',
      'jobbench / Load generator (k6)',
    ]);
    expect(new Set(committed.map((d) => d.dashboard.uid)).size).toBe(committed.length);
  });

  it.each(committed)('$path: every panel and query uses the pinned datasource uid', ({ dashboard }) => {
    expect(grafanaDatasources).toMatchObject({ datasources: [{ uid: DATASOURCE.uid, type: DATASOURCE.type }] });
    for (const panel of dashboard.panels) {
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      for (const t of panel.targets) expect(t.datasource, panel.title).toEqual(DATASOURCE);
    }
    for (const v of dashboard.templating.list) expect(v.datasource).toEqual(DATASOURCE);
  });

  it.each(committed)('$path: every query is filtered by the dashboard variable', ({ dashboard, fedBy }) => {
    const variable = fedBy === 'api' ? 'adapter' : 'testid';
    expect(dashboard.templating.list.map((v) => v.name)).toEqual([variable]);
    for (const panel of dashboard.panels) {
      for (const t of panel.targets) {
        // Every selector in the expression, not just one of them, must carry the filter.
        const selectors = t.expr.match(/[a-z_:]+\{[^}]*\}/g) ?? [];
        expect(selectors.length, `${panel.title}: ${t.expr}`).toBeGreaterThan(0);
        for (const s of selectors) expect(s, panel.title).toContain(`${variable}=~"$${variable}"`);
      }
    }
  });

  it.each(committed)(
    '$path: panels have unique ids, descriptions, units and non-overlapping places',
    ({ dashboard }) => {
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
      const cells = new Set<string>();
      for (const p of dashboard.panels) {
        expect(p.description.length, p.title).toBeGreaterThan(20);
        expect(p.fieldConfig.defaults.unit, p.title).toBeDefined();
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
    },
  );

  it('the API dashboard shows rate, errors, p50/p90/p99 per route and in-flight', () => {
    const exprs = committed[0]!.dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const q of [0.5, 0.9, 0.99])
      expect(exprs).toContain(
        `histogram_quantile(${q}, sum by (adapter, route, le) (rate(${METRIC.httpRequestDuration}_bucket`,
      );
    expect(exprs).toContain(`rate(${METRIC.httpRequests}{adapter=~"$adapter",status_code=~"5.."}`);
    expect(exprs).toContain(METRIC.httpRequestsInFlight);
  });

  it('the k6 dashboard reads the metrics k6 remote-writes', () => {
    const exprs = committed[3]!.dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const m of ['k6_http_reqs_total', 'k6_http_req_duration_seconds{', 'k6_vus', 'k6_dropped_iterations_total'])
      expect(exprs).toContain(m);
  });
});

describe('expandExpr', () => {
  it.each([
    [
      'rate(x{adapter=~"$adapter"}[$__rate_interval])',
      { adapter: 'pg-pool', __rate_interval: '4s' },
      'rate(x{adapter=~"pg-pool"}[4s])',
    ],
    ['x{adapter=~"$adapter"}', { adapter: ['pg-pool', 'kysely'] }, 'x{adapter=~"pg-pool|kysely"}'],
    ['x{testid=~"$testid"}', { testid: '.*' }, 'x{testid=~".*"}'],
  ])('%s', (expr, values, expected) => {
    expect(expandExpr(expr, values)).toBe(expected);
  });

  it('refuses a variable it has no value for', () => {
    expect(() => expandExpr('x{a=~"$adapter"}', {})).toThrow(/\$adapter/);
  });
});

describe.skipIf(!PROMTOOL)('dashboards/prometheus.yml', () => {
  it('is a valid Prometheus configuration (promtool check config)', () => {
    const r = spawnSync(PROMTOOL!, ['check', 'config', join(REPO_ROOT, 'dashboards/prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
