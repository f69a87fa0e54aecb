import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { CONTRACT_TYPES, type Job } from '../../src/domain/job.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildTestApp, expectError, jobBody, type TestApp } from './support.ts';

// Every route through app.inject(), once per adapter of the registry. Expected values come from SQL
// written here, not from the adapters.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 300 });
});
afterAll(async () => {
  await db?.drop();
});

async function sqlIds(where: string, values: unknown[], limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM jobs ${where} ORDER BY posted_at DESC, id DESC LIMIT ${limit}`,
    values,
  );
  return rows.map((r) => r.id);
}

const FILTERS: { query: string; where: string; values: unknown[] }[] = [
  ...CONTRACT_TYPES.map((c) => ({ query: `contract=${c}`, where: 'WHERE contract = $1', values: [c] })),
  { query: 'location=Paris', where: 'WHERE location = $1', values: ['Paris'] },
  { query: 'company=Globex', where: 'WHERE company = $1', values: ['Globex'] },
  { query: 'remote=true', where: 'WHERE remote', values: [] },
  { query: 'remote=false', where: 'WHERE NOT remote', values: [] },
  { query: 'salaryMin=100000', where: 'WHERE salary_max >= $1', values: [100_000] },
  { query: 'tags=go', where: 'WHERE tags @> $1', values: [['go']] },
  { query: 'tags=go,sql', where: 'WHERE tags @> $1', values: [['go', 'sql']] },
  { query: 'q=engineer', where: "WHERE search @@ websearch_to_tsquery('english', $1)", values: ['engineer'] },
  {
    query: 'q=%22site%20reliability%22',
    where: "WHERE search @@ websearch_to_tsquery('english', $1)",
    values: ['"site reliability"'],
  },
  {
    query: 'q=engineer&location=Paris&contract=full-time&remote=false&salaryMin=40000',
    where:
      "WHERE search @@ websearch_to_tsquery('english', $1) AND location = $2 AND contract = 'full-time' AND NOT remote AND salary_max >= 40000",
    values: ['engineer', 'Paris'],
  },
];

for (const name of ADAPTER_NAMES) {
  const availability = await adapterAvailability(name);
  describe.skipIf(!availability.available)(
    `${name}${availability.available ? '' : ` (skipped: ${availability.reason})`}`,
    () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await buildTestApp(name, db.url);
      });
      afterAll(async () => {
        await t?.close();
      });

      it('GET /health answers ok', async () => {
        const res = await t.app.inject('/health');
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ status: 'ok' });
      });

      it('GET /ready pings the database', async () => {
        const res = await t.app.inject('/ready');
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ status: 'ready' });
      });

      it('POST /jobs returns 201 with the stored job and its Location; GET /jobs/:id returns it', async () => {
        const body = jobBody({ postedAt: '2025-03-04T05:06:07.891+02:00' });
        const res = await t.app.inject({ method: 'POST', url: '/jobs', payload: body });
        expect(res.statusCode).toBe(201);
        const job = res.json<Job>();
        expect(job).toEqual({ ...body, id: expect.stringMatching(/^[1-9]\d*$/), postedAt: '2025-03-04T03:06:07.891Z' });
        expect(res.headers.location).toBe(`/jobs/${job.id}`);
        const got = await t.app.inject(`/jobs/${job.id}`);
        expect(got.statusCode).toBe(200);
        expect(got.json()).toEqual(job);
        const [row] = await db.query<{ title: string; posted_at: string }>(
          "SELECT title, to_char(posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS posted_at FROM jobs WHERE id = $1",
          [job.id],
        );
        expect(row).toEqual({ title: body.title, posted_at: '2025-03-04T03:06:07.891000' });
      });

      it('POST /jobs fills the optional fields: no salary, no tags, postedAt now (milliseconds)', async () => {
        const { salaryMin: _a, salaryMax: _b, tags: _c, ...required } = jobBody();
        const res = await t.app.inject({ method: 'POST', url: '/jobs', payload: required });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({
          salaryMin: null,
          salaryMax: null,
          tags: [],
          postedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        });
      });

      it('POST /jobs stores SQL injection strings as plain text', async () => {
        const evil = "'; DROP TABLE jobs; --";
        const location = `x' OR '1'='1 (${name})`; // the adapters share this database
        const body = jobBody({
          title: evil,
          company: `${evil} 2`,
          location,
          description: 'Robert"); DELETE FROM jobs;--',
          tags: [evil, '$1', '\\x00'],
        });
        const res = await t.app.inject({ method: 'POST', url: '/jobs', payload: body });
        expect(res.statusCode).toBe(201);
        const job = res.json<Job>();
        expect((await t.app.inject(`/jobs/${job.id}`)).json()).toMatchObject({
          title: evil,
          location,
          tags: [evil, '$1', '\\x00'],
        });
        const found = await t.app.inject(`/jobs?location=${encodeURIComponent(location)}`);
        expect(found.json().items.map((j: Job) => j.id)).toEqual([job.id]);
      });

      it('GET /jobs/:id returns 404 JOBBENCH_ERR_NOT_FOUND for an unknown id', async () => {
        expectError(await t.app.inject('/jobs/9223372036854775807'), 404, 'JOBBENCH_ERR_NOT_FOUND');
      });

      it('GET /jobs returns 20 jobs by default, newest first, with a cursor', async () => {
        const res = await t.app.inject('/jobs');
        expect(res.statusCode).toBe(200);
        const page = res.json<{ items: Job[]; nextCursor: string | null }>();
        expect(page.items.map((j) => j.id)).toEqual(await sqlIds('', [], 20));
        expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      });

      it('GET /jobs walks every row once, page by page, following nextCursor', async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const url: string = `/jobs?limit=37${cursor ? `&cursor=${cursor}` : ''}`;
          const res = await t.app.inject(url);
          expect(res.statusCode).toBe(200);
          const page = res.json<{ items: Job[]; nextCursor: string | null }>();
          seen.push(...page.items.map((j) => j.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(await sqlIds('', [], 1_000_000));
      });

      for (const f of FILTERS) {
        it(`GET /jobs?${f.query} returns what SQL returns`, async () => {
          const res = await t.app.inject(`/jobs?${f.query}&limit=100`);
          expect(res.statusCode).toBe(200);
          const expected = await sqlIds(f.where, f.values, 101);
          const page = res.json<{ items: Job[]; nextCursor: string | null }>();
          expect(page.items.map((j) => j.id)).toEqual(expected.slice(0, 100));
          expect(page.nextCursor === null).toBe(expected.length <= 100);
        });
      }

      it('GET /jobs/stats returns the numbers SQL computes', async () => {
        const res = await t.app.inject('/jobs/stats');
        expect(res.statusCode).toBe(200);
        const stats = res.json();
        const [totals] = await db.query<{ total: number; remote: number }>(
          'SELECT count(*)::int AS total, count(*) FILTER (WHERE remote)::int AS remote FROM jobs',
        );
        const contracts = await db.query<{ contract: string; n: number }>(
          'SELECT contract, count(*)::int AS n FROM jobs GROUP BY contract',
        );
        const top = await db.query<{ location: string; count: number }>(
          'SELECT location, count(*)::int AS count FROM jobs GROUP BY location ORDER BY count(*) DESC, location LIMIT 10',
        );
        expect(stats.total).toBe(totals!.total);
        expect(stats.remoteShare).toBeCloseTo(totals!.remote / totals!.total, 12);
        expect(stats.byContract).toEqual(
          Object.fromEntries(CONTRACT_TYPES.map((c) => [c, contracts.find((r) => r.contract === c)?.n ?? 0])),
        );
        expect(stats.topLocations).toEqual(top);
        expect(typeof stats.avgSalaryMin).toBe('number');
      });

      it('GET /internal/process reports CPU, memory, event-loop delay and pool gauges; ?reset=1 starts a new window', async () => {
        const first = (await t.app.inject('/internal/process?reset=1')).json();
        expect(first).toMatchObject({
          pid: process.pid,
          cpuUserUs: expect.any(Number),
          cpuSystemUs: expect.any(Number),
          rssBytes: expect.any(Number),
        });
        expect(first.maxRssBytes).toBeGreaterThanOrEqual(first.rssBytes / 2);
        expect(first.eventLoop.resolutionMs).toBe(1);
        const res = await t.app.inject('/internal/process');
        expect(res.statusCode).toBe(200);
        const second = res.json();
        expect(second.eventLoop.sinceResetS).toBeLessThan(first.eventLoop.sinceResetS + second.uptimeS);
        expect(second.cpuUserUs).toBeGreaterThanOrEqual(first.cpuUserUs);
        expect(second.eventLoop.maxDelayMs).toBeGreaterThanOrEqual(0);
        const pool = second.poolStats;
        if (pool !== null)
          expect(pool).toEqual({ total: expect.any(Number), idle: expect.any(Number), waiting: expect.any(Number) });
        expectError(await t.app.inject('/internal/process?reset=yes'), 400, 'JOBBENCH_ERR_VALIDATION');
      });

      it('answers 404 JOBBENCH_ERR_ROUTE_NOT_FOUND for an unknown route or method', async () => {
        expectError(await t.app.inject('/nope'), 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND');
        expectError(await t.app.inject({ method: 'DELETE', url: '/jobs/1' }), 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND');
        expectError(await t.app.inject('/jobs/1/extra'), 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND');
      });
    },
  );
}
