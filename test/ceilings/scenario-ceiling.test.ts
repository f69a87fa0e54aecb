/**
 * The DB ceiling runs each scenario's own statements: the texts PostgreSQL sees from the ceiling are the
 * texts it sees from the API (pg-pool adapter, requests drawn by the same generator, through app.inject),
 * and their call counts follow the catalog's weights. Read at the server through pg_stat_statements
 * (the embedded database preloads it; a DATABASE_URL without it skips, and says so).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgbench } from '../../bench/ceilings/db-ceiling.ts';
import { measureDbCeiling } from '../../bench/ceilings/db-ceiling.ts';
import { nextRequest, SCENARIOS } from '../../scenarios/catalog.ts';
import { createRng } from '../../shared/prng.ts';
import { GET_JOB, INSERT_JOB, STATS } from '../../src/adapters/sql.ts';
import { buildTestApp } from '../http/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const JOBS = 500;
const PGBENCH = findPgbench();
/**
 * A statement text as pg_stat_statements stores it, up to numbering: it replaces constants ('english',
 * LIMIT 10) by $n parameters, so both sides are compared with every constant and parameter as "?".
 */
const oneLine = (s: string) =>
  s
    .replace(/\s+/g, ' ')
    .replace(/'[^']*'|\$\d+|\b\d+\b/g, '?')
    .trim();

describe('DB ceiling per scenario: the scenario’s statements at the server', () => {
  let db: TestDatabase;
  let loaded = false;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: JOBS });
    const [row] = await db.query<{ loaded: boolean }>(
      `SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded`,
    );
    loaded = row!.loaded;
    if (!loaded)
      console.warn('[scenario ceiling tests skipped] pg_stat_statements not preloaded: run without DATABASE_URL');
    else await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const reset = () =>
    db.query(`SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)`);
  /** Statement text (whitespace collapsed) → calls, for the jobs table, in this database. */
  const seen = async (): Promise<Map<string, number>> => {
    const rows = await db.query<{ query: string; calls: string }>(
      `SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = current_database() AND s.query ~ '(FROM|INTO) jobs' AND s.query !~ '^(DELETE|VACUUM)'`,
    );
    const m = new Map<string, number>();
    for (const r of rows) m.set(oneLine(r.query), (m.get(oneLine(r.query)) ?? 0) + Number(r.calls));
    return m;
  };

  it('mixed (driver loop): the API’s statement texts, each call counted, in the catalog’s proportions', async (ctx) => {
    if (!loaded) ctx.skip();
    await reset();
    const c = await measureDbCeiling({
      databaseUrl: db.url,
      clients: 2,
      durationS: 3,
      jobCount: JOBS,
      scenario: 'mixed',
    });
    const fromCeiling = await seen();
    expect(c).toMatchObject({ scenario: 'mixed', method: 'driver-loop', protocol: 'extended', clients: 2 });
    expect(c.clientCpuPercent).toBeGreaterThan(0); // the loop's own CPU: a loop at its core makes the ceiling a floor
    expect(c.boundBy).toBe(c.clientCpuPercent! >= 90 ? 'client' : 'database');
    expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM jobs'))[0]!.n).toBe(String(JOBS)); // inserts removed

    // Every call the ceiling counted, and those of its warm-up, reached the server, by kind.
    const isSearch = (q: string) => q.includes('ORDER BY posted_at DESC, id DESC LIMIT');
    const total = (pred: (q: string) => boolean) =>
      [...fromCeiling].filter(([q]) => pred(q)).reduce((s, [, n]) => s + n, 0);
    const sent = (kind: string) => (c.calls![kind] ?? 0) + (c.warmupCalls![kind] ?? 0);
    const warmup = Object.values(c.warmupCalls!).reduce((a, b) => a + b, 0);
    expect(warmup).toBeGreaterThan(0); // it warmed up
    expect(total((q) => q === oneLine(GET_JOB))).toBe(sent('get-job'));
    expect(total((q) => q === oneLine(STATS))).toBe(sent('stats'));
    expect(total((q) => q === oneLine(INSERT_JOB))).toBe(sent('create'));
    expect(total(isSearch)).toBe(sent('search'));
    expect(total(() => true)).toBe(c.transactions + warmup);

    // The weights: each kind's share within 5 standard errors of its weight (binomial, n statements).
    const n = c.transactions;
    expect(n).toBeGreaterThan(100); // the tolerance follows n; below 100 it would say little
    for (const r of SCENARIOS.mixed.requests) {
      const p = r.weight / 100;
      expect(Math.abs((c.calls![r.name] ?? 0) / n - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1 / n);
    }

    // The same generator (same seed) through the API (pg-pool, no HTTP socket): its first requests are
    // the ceiling's first statements, so every text the API sends the server is one the ceiling sent.
    await reset();
    const api = await buildTestApp('pg-pool', db.url);
    try {
      const rng = createRng(1);
      for (let i = 0; i < Math.min(300, c.transactions); i++) {
        const req = nextRequest(SCENARIOS.mixed, rng, { jobCount: JOBS });
        const res = await api.app.inject({
          method: req.method,
          url: req.path,
          ...(req.body ? { payload: req.body, headers: { 'content-type': 'application/json' } } : {}),
        });
        expect(res.statusCode, req.path).toBeLessThan(300);
      }
    } finally {
      await api.close();
    }
    const fromApi = await seen();
    expect(fromApi.size).toBeGreaterThan(10);
    expect([...fromApi.keys()].filter((q) => !fromCeiling.has(q))).toEqual([]);
  });

  it.skipIf(!PGBENCH)('get-job (pgbench): the API’s point lookup, one call per transaction', async (ctx) => {
    if (!loaded) ctx.skip();
    await reset();
    const c = await measureDbCeiling({ databaseUrl: db.url, clients: 2, durationS: 1, jobCount: JOBS });
    expect(c).toMatchObject({ scenario: 'get-job', method: 'pgbench', clients: 2 });
    const calls = (await seen()).get(oneLine(GET_JOB));
    // pgbench counts completed transactions; a statement in flight when its clock stops reached the server.
    expect(calls).toBeGreaterThanOrEqual(c.transactions);
    expect(calls).toBeLessThanOrEqual(c.transactions + c.clients);
  });
});
