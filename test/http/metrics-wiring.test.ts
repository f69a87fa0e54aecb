import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, METRIC } from '../../src/metrics/index.ts';
import { parseSamples, sumOf } from '../observability/exposition.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildTestApp, type TestApp } from './support.ts';

// How src/app.ts wires the metrics: API traffic (404s included) and repository calls are recorded,
// the runner's GET /internal/process reads are not.

let db: TestDatabase;
let t: TestApp;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 20 });
  const metrics = createMetrics({
    adapter: 'pg-pool',
    poolMax: 4,
    version: 'test',
    poolStats: () => null,
    defaultMetrics: false,
  });
  t = await buildTestApp('pg-pool', db.url, {}, metrics);
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the app with metrics on', () => {
  it('records API requests by route template and repository calls by operation, not /internal/process', async () => {
    for (let i = 0; i < 3; i++) await t.app.inject(`/jobs/${i + 1}`);
    await t.app.inject('/nope');
    await t.app.inject('/jobs?limit=abc');
    for (let i = 0; i < 5; i++) await t.app.inject('/internal/process');
    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    const samples = parseSamples(res.body);
    expect(sumOf(samples, METRIC.httpRequests, { route: '/jobs/:id', status_code: '200' })).toBe(3);
    expect(sumOf(samples, METRIC.httpRequests, { route: 'unmatched', status_code: '404' })).toBe(1);
    expect(sumOf(samples, METRIC.httpRequests, { route: '/jobs', status_code: '400' })).toBe(1);
    expect(samples.some((s) => s.labels.route?.includes('internal'))).toBe(false);
    expect(sumOf(samples, `${METRIC.dbQueryDuration}_count`, { operation: 'get' })).toBe(3);
    expect(sumOf(samples, `${METRIC.dbQueryDuration}_count`, { operation: 'search' })).toBe(0);
  });

  it('times every request it counts, 404s included (from the not-found handler), and ends none twice', async () => {
    await t.app.inject('/nope/again');
    await t.app.inject({ method: 'POST', url: '/jobs', payload: { title: '' } }); // a 400 from validation
    // a 404 whose body fails to parse: it ends before the not-found handler's own hooks would run
    const badJson = {
      method: 'POST' as const,
      url: '/nope',
      payload: '{',
      headers: { 'content-type': 'application/json' },
    };
    expect((await t.app.inject(badJson)).statusCode).toBe(400);
    const samples = parseSamples((await t.app.inject('/metrics')).body);
    const sum = `${METRIC.httpRequestDuration}_sum`;
    expect(sumOf(samples, sum, { route: 'unmatched', status_code: '404' })).toBeGreaterThan(0);
    expect(sumOf(samples, sum, { route: 'unmatched', method: 'POST', status_code: '400' })).toBeGreaterThan(0);
    expect(sumOf(samples, sum, { route: '/jobs', method: 'POST', status_code: '400' })).toBeGreaterThan(0);
    expect(sumOf(samples, sum, { route: '/jobs/:id', status_code: '200' })).toBeGreaterThan(0);
    expect(sumOf(samples, METRIC.httpRequestsInFlight)).toBe(0);
    const counted = sumOf(samples, METRIC.httpRequests);
    expect(sumOf(samples, `${METRIC.httpRequestDuration}_count`)).toBe(counted);
  });
});
