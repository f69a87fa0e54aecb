import pg from 'pg';
import { afterAll, describe } from 'vitest';
import type { TestDatabase } from '../support/db.ts';
import { describeHttpContract } from './http-contract.ts';

// The HTTP contract suite against any running API: JOBBENCH_CONTRACT_URL=http://127.0.0.1:8000, with
// DATABASE_URL naming the database that API serves (expected values come from SQL). It adds rows.
const url = process.env.JOBBENCH_CONTRACT_URL;
const databaseUrl = process.env.DATABASE_URL;
const skip = !url ? 'JOBBENCH_CONTRACT_URL is not set' : !databaseUrl ? 'DATABASE_URL is not set' : null;

describe.skipIf(skip !== null)(
  `the contract at ${url ?? 'JOBBENCH_CONTRACT_URL'}${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const pool = skip ? null : new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const db: TestDatabase = {
      url: databaseUrl ?? '',
      name: 'external',
      query: async (text, values) => (await pool!.query(text, values)).rows,
      drop: async () => {}, // not ours
    };
    afterAll(async () => {
      await pool?.end();
    });
    describeHttpContract({ label: `external-${Date.now()}`, baseUrl: () => url!, db: () => db });
  },
);
