import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_EPOCH_MS } from '../../shared/job-generator.ts';
import { restoreSeededJobs, seed } from '../../src/db/seed.ts';
import { CONTRACT_TYPES } from '../../src/domain/job.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobsHash } from './table-hash.ts';

const JOBS = 3_000;
const TWO_YEARS_MS = 730 * 24 * 3600 * 1000;

// Two databases seeded alike, so that "the same rows" is checked across databases, not within one.
let a: TestDatabase;
let b: TestDatabase;
beforeAll(async () => {
  [a, b] = await Promise.all([
    createTestDatabase({ jobs: JOBS, seed: 7 }),
    createTestDatabase({ jobs: JOBS, seed: 7 }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.drop(), b?.drop()]);
});

describe('seed', () => {
  it('loads the same rows for the same seed and size', async () => {
    expect(await jobsHash(a)).toBe(await jobsHash(b));
  });

  it('numbers the jobs 1..N and continues the sequence after them', async () => {
    expect(await a.query('SELECT min(id)::int AS min, max(id)::int AS max, count(*)::int AS n FROM jobs')).toEqual([
      { min: 1, max: JOBS, n: JOBS },
    ]);
    const [next] = await a.query<{ id: string }>("SELECT nextval(pg_get_serial_sequence('jobs', 'id'))::text AS id");
    expect(next!.id).toBe(String(JOBS + 1));
  });

  it('keeps every salary range ordered, and both bounds present or both absent', async () => {
    expect(
      await a.query(
        'SELECT count(*)::int AS n FROM jobs WHERE salary_min > salary_max OR (salary_min IS NULL) <> (salary_max IS NULL)',
      ),
    ).toEqual([{ n: 0 }]);
    const [withSalary] = await a.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM jobs WHERE salary_min IS NOT NULL',
    );
    expect(withSalary!.n).toBeGreaterThan(JOBS / 2);
  });

  it('dates every job within the two years before the seed epoch', async () => {
    const [range] = await a.query<{ oldest: Date; newest: Date }>(
      'SELECT min(posted_at) AS oldest, max(posted_at) AS newest FROM jobs',
    );
    expect(range!.newest.getTime()).toBeLessThanOrEqual(SEED_EPOCH_MS);
    expect(range!.oldest.getTime()).toBeGreaterThanOrEqual(SEED_EPOCH_MS - TWO_YEARS_MS);
    // Spread over the range, not bunched at one end.
    expect(range!.newest.getTime() - range!.oldest.getTime()).toBeGreaterThan(TWO_YEARS_MS * 0.9);
  });

  it('uses every contract type and gives every job distinct tags', async () => {
    const contracts = await a.query<{ contract: string }>('SELECT DISTINCT contract FROM jobs ORDER BY contract');
    expect(contracts.map((r) => r.contract)).toEqual([...CONTRACT_TYPES].sort());
    const bad = await a.query(
      'SELECT id FROM jobs WHERE cardinality(tags) = 0 OR cardinality(tags) <> (SELECT count(DISTINCT t) FROM unnest(tags) t)',
    );
    expect(bad).toEqual([]);
  });

  it('skips the load when the table already holds this seed and size', async () => {
    expect(await seed(a.url, { jobs: JOBS, seed: 7 })).toEqual({ jobs: JOBS, seed: 7, loaded: false });
  });

  it('loads different rows for a different seed, and the first rows again when reseeded', async () => {
    const before = await jobsHash(b);
    expect(await seed(b.url, { jobs: JOBS, seed: 8 })).toMatchObject({ loaded: true });
    expect(await jobsHash(b)).not.toBe(before);
    await seed(b.url, { jobs: JOBS, seed: 7 });
    expect(await jobsHash(b)).toBe(before);
  });

  it('drops rows added since the last load without reloading, and reloads when forced', async () => {
    const before = await jobsHash(b);
    await b.query(
      "INSERT INTO jobs (title, company, location, contract, remote, description) VALUES ('x', 'y', 'z', 'contract', false, 'd')",
    );
    expect(await seed(b.url, { jobs: JOBS, seed: 7 })).toMatchObject({ loaded: false });
    expect(await jobsHash(b)).toBe(before);
    expect(await seed(b.url, { jobs: JOBS, seed: 7, force: true })).toMatchObject({ loaded: true });
    expect(await jobsHash(b)).toBe(before);
  });

  it('restoreSeededJobs deletes exactly the rows above the seeded ids', async () => {
    const before = await jobsHash(b);
    for (let i = 0; i < 3; i++) {
      await b.query(
        "INSERT INTO jobs (title, company, location, contract, remote, description) VALUES ('x', 'y', 'z', 'contract', false, 'd')",
      );
    }
    expect(await restoreSeededJobs(b.url, JOBS)).toBe(3);
    expect(await restoreSeededJobs(b.url, JOBS)).toBe(0);
    expect(await jobsHash(b)).toBe(before);
  });

  it('loads a prefix of the larger seed for a smaller size', async () => {
    await seed(b.url, { jobs: 100, seed: 7 });
    const small = await b.query('SELECT id::int, title, posted_at FROM jobs ORDER BY id');
    expect(small).toHaveLength(100);
    expect(small).toEqual(await a.query('SELECT id::int, title, posted_at FROM jobs WHERE id <= 100 ORDER BY id'));
  });
});
