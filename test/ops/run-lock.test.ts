import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockHolder, takeRunLock } from '../../bench/db/run-lock.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { runCli } from '../cli/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// One benchmark per database at a time: a run holds a PostgreSQL advisory lock on its database from
// before it seeds until it ends, and a second run on that database is refused with the holder named.

const JOBS = 200;
const out = mkdtempSync(join(tmpdir(), 'jobbench-run-lock-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the run lock (real PostgreSQL)', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    a = await createTestDatabase({ jobs: JOBS });
    b = await createTestDatabase();
  });
  afterAll(async () => Promise.all([a?.drop(), b?.drop()]));

  it('refuses a second holder on the same database, naming the first, until the first releases it', async () => {
    const first = await takeRunLock(a.url);
    try {
      const err = await takeRunLock(a.url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HarnessError);
      expect((err as HarnessError).code).toBe('JOBBENCH_CLI_ERR_DB_IN_USE');
      expect((err as HarnessError).exitCode).toBe(2);
      expect((err as Error).message).toContain(
        `in use by another jobbench benchmark (jobbench:run-lock pid=${process.pid}`,
      );
      expect((err as Error).message).toMatch(/PostgreSQL backend \d+, since \d{4}-\d\d-\d\dT/);
      // Another database is not locked by it.
      const other = await takeRunLock(b.url);
      await other.release();
    } finally {
      await first.release();
    }
    const again = await takeRunLock(a.url);
    await again.release();
    expect(await lockHolder(a.url)).toBeNull();
  });

  it('is taken again by itself after the server dropped its connection (a restart)', async () => {
    const lock = await takeRunLock(a.url);
    try {
      const holder = await lockHolder(a.url);
      expect(holder?.applicationName).toBe(`jobbench:run-lock pid=${process.pid}`);
      await a.query('SELECT pg_terminate_backend($1)', [holder!.backendPid]);
      let retaken = await lockHolder(a.url);
      for (let i = 0; i < 100 && (retaken === null || retaken.backendPid === holder!.backendPid); i++) {
        await new Promise((r) => setTimeout(r, 100));
        retaken = await lockHolder(a.url);
      }
      expect(retaken).not.toBeNull();
      expect(retaken!.backendPid).not.toBe(holder!.backendPid);
      expect(retaken!.applicationName).toBe(`jobbench:run-lock pid=${process.pid}`);
    } finally {
      await lock.release();
    }
    expect(await lockHolder(a.url)).toBeNull();
  });

  it('makes a second `jobbench run` on a database in use exit 2 in one line, before it touches the table', async () => {
    const holder = await takeRunLock(a.url);
    try {
      // Asked for another size: without the lock it would reseed the table under the holder.
      const args = ['run', '--profile', 'smoke', '--adapters', 'pg-pool', '--jobs', String(JOBS * 2), '--out', out];
      const r = await runCli(args, { env: { DATABASE_URL: a.url } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^jobbench run: JOBBENCH_CLI_ERR_DB_IN_USE: the database at .* is in use by another jobbench benchmark \(jobbench:run-lock pid=\d+/,
      );
      expect(r.stderr).toContain('give this run a database of its own');
      const [state] = await a.query<{ jobs: number }>('SELECT jobs FROM jobbench_seed_state');
      expect(state!.jobs).toBe(JOBS);
      const [count] = await a.query<{ n: string }>('SELECT count(*) AS n FROM jobs');
      expect(Number(count!.n)).toBe(JOBS);
    } finally {
      await holder.release();
    }
  }, 60_000);
});
