import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSeededData } from '../../bench/db/seed-check.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

describe('the seeded data checked before a round', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 30, seed: 7 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('accepts the run’s own data', async () => {
    expect(await ensureSeededData(db.url, { jobs: 30, seed: 7 })).toEqual({ ok: true, restored: 0 });
  });

  it('removes rows a write left behind', async () => {
    await db.query(
      'INSERT INTO jobs (title, company, location, contract, remote, tags, description) SELECT title, company, location, contract, remote, tags, description FROM jobs WHERE id <= 3',
    );
    expect(await ensureSeededData(db.url, { jobs: 30, seed: 7 })).toEqual({ ok: true, restored: 3 });
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs'))[0]!.n).toBe(30);
  });

  it('refuses data of another seed or size, or with seeded rows missing, and says what it found', async () => {
    expect(await ensureSeededData(db.url, { jobs: 30, seed: 8 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /not what this run seeded: 30 of ids 1\.\.30 present, seed state 30 jobs, seed 7 \(expected 30 jobs, seed 8\)/,
      ),
    });
    await db.query('DELETE FROM jobs WHERE id = 5');
    expect(await ensureSeededData(db.url, { jobs: 30, seed: 7 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/29 of ids 1\.\.30 present/),
    });
  });
});
