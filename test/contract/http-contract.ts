import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_TYPES, type Job } from '../../src/domain/job.ts';
import { METRIC } from '../../src/metrics/names.ts';
import type { TestDatabase } from '../support/db.ts';
import { ACCEPTED, CASES } from '../http/bad-input-cases.ts';
import { jobBody, tableFingerprint } from '../http/support.ts';
import { send, type HttpResponse } from './http-client.ts';

/**
 * The job API contract (docs/readme/api.md) at the HTTP level, against any base URL: every route,
 * pagination, stats against SQL, every error code, the bad-input table, never a 500. Call it inside a
 * describe; expected values come from SQL written here, not from the target.
 */
export interface ContractOptions {
  label: string; // makes this target's test rows unique in a shared database
  baseUrl: () => string;
  db: () => TestDatabase;
}

type Page = { items: Job[]; nextCursor: string | null };

/** The one error body of the API: status, code, a message, nothing else; 503s carry Retry-After: 1. */
export function expectErrorResponse(res: HttpResponse, status: number, code: string): void {
  expect({ status: res.status, body: res.json }, res.text.slice(0, 300)).toEqual({
    status,
    body: { code, message: expect.any(String) },
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  if (status === 503) expect(res.headers.get('retry-after')).toBe('1');
}

// A subset of test/http/routes.test.ts's filters: one per kind of WHERE clause.
const FILTERS: { query: string; where: string; values: unknown[] }[] = [
  { query: 'contract=full-time', where: 'WHERE contract = $1', values: ['full-time'] },
  { query: 'location=Paris', where: 'WHERE location = $1', values: ['Paris'] },
  { query: 'remote=false', where: 'WHERE NOT remote', values: [] },
  { query: 'salaryMin=100000', where: 'WHERE salary_max >= $1', values: [100_000] },
  { query: 'tags=go,sql', where: 'WHERE tags @> $1', values: [['go', 'sql']] },
  {
    query: 'q=%22site%20reliability%22',
    where: "WHERE search @@ websearch_to_tsquery('english', $1)",
    values: ['"site reliability"'],
  },
];

export function describeHttpContract({ label, baseUrl, db }: ContractOptions): void {
  const get = (url: string) => send(baseUrl(), url);
  const sqlIds = async (where: string, values: unknown[], limit: number) =>
    (
      await db().query<{ id: string }>(
        `SELECT id::text AS id FROM jobs ${where} ORDER BY posted_at DESC, id DESC LIMIT ${limit}`,
        values,
      )
    ).map((r) => r.id);

  it('GET /health and GET /ready answer', async () => {
    const health = await get('/health');
    expect([health.status, health.json]).toEqual([200, { status: 'ok' }]);
    const ready = await get('/ready');
    expect([ready.status, ready.json]).toEqual([200, { status: 'ready' }]);
  });

  it('POST /jobs returns 201 with the stored job and its Location; GET /jobs/:id returns it', async () => {
    const body = jobBody({ postedAt: '2025-03-04T05:06:07.891+02:00' });
    const res = await send(baseUrl(), { method: 'POST', url: '/jobs', payload: body });
    expect(res.status, res.text).toBe(201);
    const job = res.json as Job;
    expect(job).toEqual({ ...body, id: expect.stringMatching(/^[1-9]\d*$/), postedAt: '2025-03-04T03:06:07.891Z' });
    expect(res.headers.get('location')).toBe(`/jobs/${job.id}`);
    const got = await get(`/jobs/${job.id}`);
    expect([got.status, got.text]).toEqual([200, res.text]);
  });

  it('POST /jobs fills the optional fields and stores injection strings as plain text', async () => {
    const evil = "'; DROP TABLE jobs; --";
    const location = `x' OR '1'='1 (${label})`;
    const { salaryMin: _a, salaryMax: _b, tags: _c, ...required } = jobBody({ title: evil, location });
    const res = await send(baseUrl(), { method: 'POST', url: '/jobs', payload: required });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      title: evil,
      salaryMin: null,
      salaryMax: null,
      tags: [],
      postedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const found = await get(`/jobs?location=${encodeURIComponent(location)}`);
    expect((found.json as Page).items.map((j) => j.id)).toEqual([(res.json as Job).id]);
  });

  it('GET /jobs/:id returns 404 JOBBENCH_ERR_NOT_FOUND for an unknown id', async () => {
    expectErrorResponse(await get('/jobs/9223372036854775807'), 404, 'JOBBENCH_ERR_NOT_FOUND');
  });

  it('GET /jobs returns 20 jobs by default, newest first, with a base64url cursor', async () => {
    const res = await get('/jobs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const page = res.json as Page;
    expect(page.items.map((j) => j.id)).toEqual(await sqlIds('', [], 20));
    expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('GET /jobs visits every row once, following nextCursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResponse = await get(`/jobs?limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, res.text).toBe(200);
      const page = res.json as Page;
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(await sqlIds('', [], 1_000_000));
  });

  for (const f of FILTERS) {
    it(`GET /jobs?${f.query} returns what SQL returns`, async () => {
      const res = await get(`/jobs?${f.query}&limit=100`);
      expect(res.status, res.text).toBe(200);
      const expected = await sqlIds(f.where, f.values, 101);
      const page = res.json as Page;
      expect(page.items.map((j) => j.id)).toEqual(expected.slice(0, 100));
      expect(page.nextCursor === null).toBe(expected.length <= 100);
    });
  }

  it('GET /jobs/stats returns the aggregates SQL computes', async () => {
    const res = await get('/jobs/stats');
    expect(res.status).toBe(200);
    const [totals] = await db().query<{ total: number; remote: number; min: number | null; max: number | null }>(
      'SELECT count(*)::int AS total, count(*) FILTER (WHERE remote)::int AS remote, round(avg(salary_min), 2)::float8 AS min, round(avg(salary_max), 2)::float8 AS max FROM jobs',
    );
    const contracts = await db().query<{ contract: string; n: number }>(
      'SELECT contract, count(*)::int AS n FROM jobs GROUP BY contract',
    );
    const top = await db().query<{ location: string; count: number }>(
      'SELECT location, count(*)::int AS count FROM jobs GROUP BY location ORDER BY count(*) DESC, location LIMIT 10',
    );
    expect(res.json).toEqual({
      total: totals!.total,
      byContract: Object.fromEntries(CONTRACT_TYPES.map((c) => [c, contracts.find((r) => r.contract === c)?.n ?? 0])),
      remoteShare: totals!.remote / totals!.total,
      avgSalaryMin: totals!.min,
      avgSalaryMax: totals!.max,
      topLocations: top,
    });
  });

  describe('bad inputs', () => {
    let before: Awaited<ReturnType<typeof tableFingerprint>>;
    beforeAll(async () => {
      before = await tableFingerprint(db());
    });

    it.each(CASES)('%s → %i %s', async (_name, request, status, code) => {
      expectErrorResponse(await send(baseUrl(), request), status, code);
    });

    it.each(ACCEPTED)('takes %s as data: 200', async (_name, url) => {
      const res = await get(url);
      expect(res.status, res.text).toBe(200);
    });

    it('still holds the same rows and tables afterwards, and is still ready', async () => {
      expect(await tableFingerprint(db())).toEqual(before);
      expect((await get('/ready')).status).toBe(200);
    });
  });

  it('GET /metrics serves Prometheus text with the metric names of src/metrics/names.ts', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    // jobbench_db_backends is sampled from pg_stat_activity by `jobbench serve` only; the harness counts it anyway.
    const names = Object.values(METRIC).filter((n) => n !== METRIC.dbBackends);
    const missing = names.filter((n) => !new RegExp(`^${n}(_bucket|_count|_sum)?[{ ]`, 'm').test(res.text));
    expect(missing).toEqual([]);
    expect(res.text).toMatch(/^http_requests_total\{[^}]*route="\/jobs\/:id"[^}]*\} [1-9]/m);
  });
}
