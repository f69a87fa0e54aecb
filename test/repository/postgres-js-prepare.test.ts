import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresJsRepository } from '../../src/adapters/postgres-js.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testDbConfig, walk } from './fixtures.ts';

// DbConfig.prepare = false is what PgBouncer in transaction mode needs (issue 7): unnamed statements
// instead of per-connection named ones. The results must not change.

let db: TestDatabase;
let prepared: JobRepository;
let unprepared: JobRepository;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 500 });
  prepared = createPostgresJsRepository(testDbConfig(db.url, 'postgres-js'));
  unprepared = createPostgresJsRepository(testDbConfig(db.url, 'postgres-js', { prepare: false }));
});
afterAll(async () => {
  await prepared?.close();
  await unprepared?.close();
  await db?.drop();
});

describe('postgres-js with prepare off', () => {
  it('returns what it returns with prepared statements', async () => {
    for (const repo of [prepared, unprepared]) await repo.ping();
    const calls = [
      (r: JobRepository) => r.getById('7'),
      (r: JobRepository) => walk(r, { q: 'engineer', remote: false }, 20),
      (r: JobRepository) => r.search({ tags: ['go'], salaryMin: 50_000 }, { limit: 10 }),
      (r: JobRepository) => r.stats(),
    ];
    for (const call of calls) expect(await call(unprepared)).toEqual(await call(prepared));
  });

  it('maps errors the same way', async () => {
    await expect(unprepared.getById('x')).rejects.toMatchObject({ code: 'JOBBENCH_ERR_VALIDATION' });
  });
});
