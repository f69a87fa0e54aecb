import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/host/free-port.ts';
import { ADAPTERS, ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { buildApp } from '../../src/app.ts';
import { DEFAULTS } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildTestApp, expectError, jobBody } from './support.ts';

// The database side of the error catalogue, through HTTP: 503 with Retry-After when the pool cannot
// hand out a connection within the acquire timeout (never a hang), when the database is unreachable,
// and when a query runs past the statement timeout. /health never touches the database. The hold: a
// second session locks the jobs table, so the app's own query blocks with its only connection.
// No timings are asserted: a hang would show as a test timeout.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 50 });
});
afterAll(async () => {
  await db?.drop();
});

async function lockJobs(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url, application_name: 'jobbench:test-lock' });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Resolves once the app's query waits on the lock, i.e. holds the pool's only connection. */
async function waitUntilBlocked(applicationName: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await db.query(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'",
      [applicationName],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the held request never blocked on the lock');
}

for (const name of ADAPTER_NAMES) {
  const availability = await adapterAvailability(name);
  describe.skipIf(!availability.available)(
    `${name}${availability.available ? '' : ` (skipped: ${availability.reason})`}`,
    () => {
      // A blocking adapter holds the event loop for the whole wait: with one process there is no second
      // request to turn away while the first waits, so pool exhaustion cannot be shown in-process.
      it.skipIf(!ADAPTERS[name].async)(
        'answers 503 JOBBENCH_ERR_DB_UNAVAILABLE with Retry-After when its one connection is held, then recovers',
        { timeout: 30_000 },
        async () => {
          const t = await buildTestApp(name, db.url, { poolMax: 1, connectTimeoutMs: 300 });
          try {
            await t.app.inject('/jobs/1'); // warm: the connection exists and has run the statements
            const lock = await lockJobs();
            let held;
            try {
              held = t.app.inject('/jobs/1');
              await waitUntilBlocked(`jobbench:${name}`);
              expectError(await t.app.inject('/jobs/2'), 503, 'JOBBENCH_ERR_DB_UNAVAILABLE');
              expectError(await t.app.inject('/jobs?limit=1'), 503, 'JOBBENCH_ERR_DB_UNAVAILABLE');
              expectError(
                await t.app.inject({ method: 'POST', url: '/jobs', payload: jobBody() }),
                503,
                'JOBBENCH_ERR_DB_UNAVAILABLE',
              );
              expectError(await t.app.inject('/ready'), 503, 'JOBBENCH_ERR_DB_UNAVAILABLE');
              expect((await t.app.inject('/health')).statusCode).toBe(200);
              const proc = (await t.app.inject('/internal/process')).json();
              if (proc.poolStats) expect(proc.poolStats.total).toBe(1);
            } finally {
              await lock.release();
            }
            expect((await held).statusCode).toBe(200);
            expect((await t.app.inject('/jobs/3')).statusCode).toBe(200);
            expect((await t.app.inject('/ready')).statusCode).toBe(200);
          } finally {
            await t.close();
          }
        },
      );

      it(
        'answers 503 JOBBENCH_ERR_DB_TIMEOUT with Retry-After when a query runs past the statement timeout',
        { timeout: 30_000 },
        async () => {
          const t = await buildTestApp(name, db.url, { statementTimeoutMs: 200 });
          try {
            await t.app.inject('/ready');
            const lock = await lockJobs();
            try {
              expectError(await t.app.inject('/jobs/1'), 503, 'JOBBENCH_ERR_DB_TIMEOUT');
            } finally {
              await lock.release();
            }
            expect((await t.app.inject('/jobs/1')).statusCode).toBe(200);
          } finally {
            await t.close();
          }
        },
      );

      it(
        'answers 503 JOBBENCH_ERR_DB_UNAVAILABLE on every database route when the database is unreachable; /health still 200',
        { timeout: 30_000 },
        async () => {
          const url = `postgresql://postgres:secret@127.0.0.1:${await freePort()}/nowhere`;
          const t = await buildTestApp(name, url, { connectTimeoutMs: 1_000 });
          try {
            expect((await t.app.inject('/health')).statusCode).toBe(200);
            for (const request of [
              '/ready',
              '/jobs/1',
              '/jobs',
              '/jobs/stats',
              { method: 'POST' as const, url: '/jobs', payload: jobBody() },
            ]) {
              const res = await t.app.inject(request);
              expectError(res, 503, 'JOBBENCH_ERR_DB_UNAVAILABLE');
              expect(res.body).not.toContain('secret');
            }
          } finally {
            await t.close();
          }
        },
      );
    },
  );
}

describe('an unexpected error', () => {
  it('is a 500 JOBBENCH_ERR_INTERNAL whose body tells nothing of its cause', async () => {
    const t = await buildTestApp('pg-pool', db.url);
    // The one way to reach the 500 path: a repository that fails in a way the catalogue does not know.
    const failing = { ...t.repo, stats: () => Promise.reject(new Error('password=hunter2 at /srv/app.ts:12')) };
    const app = buildApp({
      repo: failing,
      adapter: 'pg-pool',
      config: { bodyLimitBytes: DEFAULTS.bodyLimitBytes, logLevel: 'silent' },
    });
    try {
      const res = await app.inject('/jobs/stats');
      expectError(res, 500, 'JOBBENCH_ERR_INTERNAL');
      expect(res.body).not.toContain('hunter2');
      expect((await app.inject('/jobs/1')).statusCode).toBe(200);
    } finally {
      await app.close();
      await t.close();
    }
  });
});
