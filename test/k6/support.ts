/**
 * What the real-k6 tests share: the k6 binary (or why the tests skip) and a real API server on a fresh
 * seeded database.
 */
import { findK6 } from '../../bench/runners/k6/bin.ts';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

function locateK6(): string | undefined {
  try {
    return findK6(process.env);
  } catch (err) {
    console.warn(`[k6 tests skipped] ${(err as Error).message}`);
    return undefined;
  }
}

/** The k6 binary, or undefined (the real-k6 tests then skip, saying how to install it). */
export const K6_BIN = locateK6();

export const JOBS = 1_000;

export interface Api {
  db: TestDatabase;
  target: Target;
  stop(): Promise<void>;
}

/** `jobbench serve --adapter pg-pool` as a child process on a fresh database with JOBS seeded jobs. */
export async function startApi(): Promise<Api> {
  const db = await createTestDatabase({ jobs: JOBS });
  try {
    const target = await startTarget({ adapter: 'pg-pool', poolMax: 10, metrics: 'on', via: 'direct' }, db.url);
    return {
      db,
      target,
      async stop() {
        await target.stop();
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}
