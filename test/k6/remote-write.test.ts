/**
 * The k6 dashboard's promise, end to end: the k6 runner with Prometheus remote write (native
 * histograms, testid tag) against the real API, a real Prometheus receiving it, then every PromQL
 * expression of every k6 panel (dashboards/grafana/k6.json) must return data for this run's testid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createK6Runner } from '../../bench/runners/k6/runner.ts';
import type { WindowMeasurement } from '../../bench/runners/types.ts';
import { DASHBOARDS, REPO_ROOT } from '../../dashboards/build.ts';
import type { Dashboard } from '../../dashboards/src/grafana.ts';
import { expandExpr } from '../../dashboards/src/promql.ts';
import { PROMETHEUS_BIN, startPrometheus, type PrometheusProcess } from '../observability/prometheus-process.ts';
import { JOBS, K6_BIN, startApi, type Api } from './support.ts';

if (!PROMETHEUS_BIN) {
  process.stderr.write(
    'test/k6/remote-write.test.ts: SKIPPED: no `prometheus` binary on PATH (apt-get install prometheus; .ci/run installs it)\n',
  );
}

const TEST_ID = `k6-rw-${process.pid}`;
const LOAD_S = 6; // several 1 s pushes, enough for 4 s rate windows
const RATE_INTERVAL = '4s';

interface Series {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}
const hasFiniteValue = (result: Series[]) =>
  result.some((s) => (s.values ?? (s.value ? [s.value] : [])).some(([, v]) => Number.isFinite(Number(v))));

const k6Dashboards = Object.entries(DASHBOARDS)
  .filter(([, { fedBy }]) => fedBy === 'k6')
  .map(([path]) => path);

describe.skipIf(!K6_BIN || !PROMETHEUS_BIN)(
  'k6 remote write feeds every k6 dashboard panel (real k6, real Prometheus)',
  () => {
    let api: Api;
    let prometheus: PrometheusProcess;
    let measurement: WindowMeasurement;
    let startS = 0;
    let endS = 0;

    beforeAll(async () => {
      api = await startApi();
      prometheus = await startPrometheus([new URL(api.target.baseUrl).host]);
      const runner = createK6Runner({ bin: K6_BIN });
      startS = Date.now() / 1_000;
      measurement = await runner.run({
        baseUrl: api.target.baseUrl,
        scenario: 'mixed',
        durationS: LOAD_S,
        seed: 3,
        jobCount: JOBS,
        connections: 4,
        timeoutS: 5,
        rate: 40,
        k6: { prometheusRw: `${prometheus.url}/api/v1/write`, testId: TEST_ID, instances: 2 },
      });
      endS = Date.now() / 1_000;
      await new Promise((r) => setTimeout(r, 1_500)); // past the last push
    }, 120_000);

    afterAll(async () => {
      await prometheus?.stop();
      await api?.stop();
    });

    it('still measures the window from the per-request output', () => {
      expect(measurement.requests).toBeGreaterThan(0);
      // Dropped iterations are counted (an integer), not asserted zero: 4 VUs at 40/s drop some when the
      // machine is busy, and this test checks where the numbers come from, not how fast the machine is.
      expect(Number.isInteger(measurement.droppedIterations)).toBe(true);
    });

    it('offers the run in the testid variable', async () => {
      const values = await prometheus.api<string[]>('label/testid/values', {
        'match[]': 'k6_http_reqs_total',
        start: String(startS - 60),
        end: String(endS + 60),
      });
      expect(values).toContain(TEST_ID);
    });

    it('counts in Prometheus the requests k6 sent (both instances)', async () => {
      const data = await prometheus.api<{ result: Series[] }>('query', {
        query: `sum(max_over_time(k6_http_reqs_total{testid="${TEST_ID}",scenario!=""}[5m]))`,
        time: String(endS + 1),
      });
      // Remote write pushes the counters as they are every second: the last push holds every request.
      expect(Number(data.result[0]?.value?.[1])).toBe(measurement.requests + measurement.errors);
    });

    it('gives the whole-run p99 from the native histogram, as docs/readme/k6.md says', async () => {
      const query = `histogram_quantile(0.99, sum(increase(k6_http_req_duration_seconds{testid="${TEST_ID}",scenario!=""}[5m])))`;
      const data = await prometheus.api<{ result: Series[] }>('query', { query, time: String(endS + 1) });
      const p99S = Number(data.result[0]?.value?.[1]);
      expect(p99S).toBeGreaterThan(0);
      expect(Number.isFinite(p99S)).toBe(true);
    });

    for (const path of k6Dashboards) {
      it(`${path}: every panel query returns data for the run's testid`, async () => {
        const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Dashboard;
        const empty: string[] = [];
        let queries = 0;
        for (const panel of dashboard.panels) {
          for (const target of panel.targets) {
            queries++;
            const expr = expandExpr(target.expr, {
              testid: TEST_ID,
              __rate_interval: RATE_INTERVAL,
              __interval: '1s',
              __range: `${Math.ceil(endS - startS)}s`,
            });
            const data = target.instant
              ? await prometheus.api<{ result: Series[] }>('query', { query: expr, time: String(endS) })
              : await prometheus.api<{ result: Series[] }>('query_range', {
                  query: expr,
                  start: String(Math.floor(startS)),
                  end: String(Math.ceil(endS) + 1),
                  step: '1',
                });
            if (!hasFiniteValue(data.result)) empty.push(`"${panel.title}" ${target.refId}: ${expr}`);
          }
        }
        expect(queries).toBeGreaterThan(0);
        expect(empty).toEqual([]);
      });
    }
  },
);
