import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgPoolRepository } from '../../src/adapters/pg-pool.ts';
import type { DbWork } from '../../bench/results/db-work.ts';
import { dbWorkProbe } from '../../bench/window/probes/db-work.ts';
import type { ProbeContext } from '../../bench/window/probe.ts';
import { openSamplerDb } from '../../bench/window/sampler-db.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const JOBS = 500;
const REQUESTS = 40;

// A real PostgreSQL with pg_stat_statements preloaded (the embedded one the tests start; a DATABASE_URL
// server without it gives `dbWork: null`, and the test says so instead of passing silently).
describe('database work per request from pg_stat_statements deltas', () => {
  let db: TestDatabase;
  let loaded = false;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: JOBS });
    await db.query('VACUUM ANALYZE jobs');
    loaded = (
      await db.query<{ on: boolean }>(
        "SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS on",
      )
    )[0]!.on;
  });
  afterAll(async () => db?.drop());

  async function measure(work: () => Promise<void>, requests: number) {
    const sampler = openSamplerDb(db.url);
    const probe = dbWorkProbe();
    try {
      // No /metrics (as an external target): the divisor is the requests given to stop().
      await probe.start({ db: sampler, server: { metrics: async () => null } } as unknown as ProbeContext);
      await work();
      const report = await probe.stop({ measurement: { requests } as never });
      return report.round!.dbWork as DbWork;
    } finally {
      await sampler.close();
    }
  }

  it('get-job by primary key: 1 call and 1 row per request, the same few index and heap pages each time', async () => {
    expect(loaded, 'the test database must preload pg_stat_statements (run without DATABASE_URL)').toBe(true);
    const ids = (await db.query<{ id: string }>('SELECT id FROM jobs ORDER BY id LIMIT $1', [REQUESTS])).map(
      (r) => r.id,
    );
    const repo = createPgPoolRepository({
      url: db.url,
      poolMax: 2,
      connectTimeoutMs: 5_000,
      idleTimeoutMs: 10_000,
      statementTimeoutMs: 5_000,
      applicationName: 'jobbench:pg-pool',
    });
    const work = await measure(async () => {
      for (const id of ids) expect(await repo.getById(id)).not.toBeNull();
    }, REQUESTS);
    await repo.close();
    const get = work.statements.find((s) => /FROM jobs/i.test(s.query) && /id = \$1/i.test(s.query));
    expect(get, JSON.stringify(work.statements)).toBeDefined();
    expect(get!.calls).toBe(1);
    expect(get!.rows).toBe(1);
    // An index lookup: the b-tree's root (+ leaf) and one heap page; a few pages, never the table.
    expect(get!.sharedBlocks).toBeGreaterThanOrEqual(2);
    expect(get!.sharedBlocks).toBeLessThan(6);
    expect(work.total.tempBlocks).toBe(0);
  });

  it('a sequential scan touches every page of the table, once per call', async () => {
    const pages = (
      await db.query<{ pages: number }>(
        "SELECT (pg_relation_size('jobs') / current_setting('block_size')::int)::int AS pages",
      )
    )[0]!.pages;
    const work = await measure(async () => {
      for (let i = 0; i < 3; i++) await db.query("SELECT count(*) FROM jobs WHERE description LIKE '%no such words%'");
    }, 3);
    const scan = work.statements.find((s) => /LIKE/.test(s.query))!;
    expect(scan.calls).toBe(1);
    expect(scan.rows).toBe(1); // count(*): one row
    expect(scan.sharedBlocks).toBe(pages);
    expect(pages).toBeGreaterThan(5);
  });
});
