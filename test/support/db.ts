import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { seed } from '../../src/db/seed.ts';

export interface TestDatabase {
  url: string;
  name: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh, migrated database for one test file, seeded with `jobs` deterministic rows (seed 42 unless
 * given). Dropped by drop() (call it in afterAll). Works on the embedded server and on DATABASE_URL.
 */
export async function createTestDatabase(options: { jobs?: number; seed?: number } = {}): Promise<TestDatabase> {
  const adminUrl = inject('databaseUrl');
  const name = `jobbench_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  if (options.jobs) await seed(url, { jobs: options.jobs, seed: options.seed ?? 42 });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // pool.end() resolves once its clients are removed, not once their sockets are closed: drop()'s
  // DROP DATABASE … WITH (FORCE) can then terminate a backend still closing (57P01), and a pg client with
  // no 'error' listener turns that into an uncaught exception in whichever test file runs (seen once in
  // CI's external pass, 2026-12-07). The same listeners as the adapters' pools (src/adapters/pg-pool-options.ts).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    url,
    name,
    async query(text, values) {
      return (await pool.query(text, values)).rows;
    },
    async drop() {
      await pool.end();
      const a = new pg.Client(adminUrl);
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
