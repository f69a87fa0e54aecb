import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/adapters/registry.ts';
import type { Job } from '../../src/domain/job.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { adapterCases, testDbConfig } from './fixtures.ts';

// With one connection held by a query that cannot finish, a second call must fail with 503's code once
// the acquire timeout (connectTimeoutMs) has passed, not wait for the connection. The hold: another
// session locks the jobs table, so the adapter's own query blocks on the lock with its only connection.
// "Cold" holds the first connection the pool ever opens; "warm" uses a connection that has already run
// the statements (postgres.js then pipelines the waiting query onto it rather than queueing it).
// No timings are asserted: a hang would show as a test timeout.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 200 });
});
afterAll(async () => {
  await db?.drop();
});

async function lockJobs(url: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: 'jobbench:test-lock' });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Resolves once the adapter's query is waiting on the lock, so that it holds the only connection. */
async function waitUntilBlocked(name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await db.query(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'",
      [`jobbench:${name}`],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the held query never blocked on the lock');
}

// A blocking adapter (pg-sync) never has a second call in flight: while its one query waits on the
// lock, the whole process waits with it, this test included. There is no pool to exhaust.
for (const { name, label, skip } of await adapterCases({ needsAsync: true })) {
  describe.skipIf(skip)(label, () => {
    for (const warm of [false, true]) {
      it(
        `rejects with JOBBENCH_ERR_DB_UNAVAILABLE when its one ${warm ? 'warm' : 'cold'} connection is held, then recovers`,
        { timeout: 30_000 },
        async () => {
          const repo: JobRepository = await createRepository(
            name,
            testDbConfig(db.url, name, { poolMax: 1, connectTimeoutMs: 500 }),
          );
          try {
            if (warm) {
              await repo.getById('1');
              await repo.search({}, { limit: 1 });
            }
            const lock = await lockJobs(db.url);
            let held: Promise<Job | null>;
            try {
              held = repo.getById('1');
              held.catch(() => {}); // awaited below; keeps an early failure from being reported as unhandled
              await waitUntilBlocked(name);
              const unavailable = { code: 'JOBBENCH_ERR_DB_UNAVAILABLE' };
              await expect(repo.getById('2')).rejects.toMatchObject(unavailable);
              await expect(repo.search({}, { limit: 1 })).rejects.toMatchObject(unavailable);
            } finally {
              await lock.release();
            }
            expect((await held)?.id).toBe('1');
            expect((await repo.getById('3'))?.id).toBe('3');
            await expect(repo.ping()).resolves.toBeUndefined();
          } finally {
            await repo.close();
          }
        },
      );
    }
  });
}
