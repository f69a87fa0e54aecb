import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/adapters/registry.ts';
import type { JobFilters } from '../../src/domain/job.ts';
import { CONTRACT_TYPES } from '../../src/domain/job.ts';
import type { DbConfig, JobRepository } from '../../src/domain/job-repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { adapterCases, expectedIds, expectedStats, newJob, storedJob, testDbConfig, walk } from './fixtures.ts';

/**
 * The repository contract, run once per adapter of the registry (a new adapter is picked up without
 * edits here). The adapters share one database and run one after another; rows they insert stay, so
 * every expectation is computed from the table at the time of the check.
 *
 * `route` puts something between the adapters and PostgreSQL (test/ops runs the contract through
 * PgBouncer in transaction mode this way); expectations are always read over a direct connection.
 */
export interface ContractRoute {
  name: string; // shown in the describe() titles
  open(directUrl: string): Promise<{ url: string; config?: Partial<DbConfig>; close(): Promise<void> }>;
}

const FILTERS: [string, JobFilters][] = [
  ...CONTRACT_TYPES.map((contract): [string, JobFilters] => [`contract ${contract}`, { contract }]),
  ['location', { location: 'Paris' }],
  ['company', { company: 'Globex' }],
  ['remote', { remote: true }],
  ['not remote', { remote: false }],
  ['salaryMin', { salaryMin: 120_000 }],
  ['one tag', { tags: ['go'] }],
  ['all of several tags', { tags: ['go', 'sql'] }],
  ['q: a word', { q: 'engineer' }],
  ['q: a phrase', { q: '"site reliability"' }],
  ['q: an alternation', { q: 'devops or sre' }],
  ['q: an exclusion', { q: 'data -scientist' }],
  [
    'q and several filters',
    { q: 'engineer', location: 'Paris', contract: 'full-time', remote: false, salaryMin: 40_000 },
  ],
  ['q and other filters', { q: 'engineer', company: 'Globex', contract: 'full-time', salaryMin: 60_000, tags: ['go'] }],
  ['nothing matches', { q: 'zzyzxnotaword' }],
];

export async function describeContract(route?: ContractRoute): Promise<void> {
  let db: TestDatabase;
  let repoUrl = '';
  let repoConfig: Partial<DbConfig> = {};
  let closeRoute: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 2_000 });
    repoUrl = db.url;
    if (route) {
      const opened = await route.open(db.url);
      repoUrl = opened.url;
      repoConfig = opened.config ?? {};
      closeRoute = opened.close;
    }
  });
  afterAll(async () => {
    await closeRoute?.();
    await db?.drop();
  });

  for (const { name, label, skip } of await adapterCases()) {
    describe.skipIf(skip)(route ? `${label} through ${route.name}` : label, () => {
      let repo: JobRepository;
      beforeAll(async () => {
        repo = await createRepository(name, testDbConfig(repoUrl, name, repoConfig));
      });
      afterAll(async () => {
        await repo?.close();
      });

      describe('create and getById', () => {
        it('returns the created job as stored, with an id', async () => {
          const input = newJob({ postedAt: '2024-05-06T07:08:09.123Z' });
          const job = await repo.create(input);
          expect(job).toEqual({ ...input, id: expect.stringMatching(/^\d+$/) });
          expect(await storedJob(db, job.id)).toEqual(job);
          expect(await repo.getById(job.id)).toEqual(job);
        });

        it('assigns postedAt when none is given, in UTC with milliseconds', async () => {
          const job = await repo.create(newJob({ salaryMin: null, salaryMax: null, tags: [] }));
          expect(job.postedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(job).toMatchObject({ salaryMin: null, salaryMax: null, tags: [] });
          expect(await repo.getById(job.id)).toEqual(job);
        });

        it('truncates a given postedAt to milliseconds, so that keyset cursors stay exact', async () => {
          const job = await repo.create(newJob({ postedAt: '2024-05-06T09:08:09.123999+02:00' }));
          expect(job.postedAt).toBe('2024-05-06T07:08:09.123Z');
          const [row] = await db.query<{ us: number }>(
            'SELECT extract(microseconds FROM posted_at)::int % 1000 AS us FROM jobs WHERE id = $1',
            [job.id],
          );
          expect(row!.us).toBe(0);
        });

        it('keeps tags with quotes, commas and braces intact', async () => {
          const tags = ['a,b', 'say "hi"', '{x}', 'back\\slash', 'été'];
          const job = await repo.create(newJob({ tags }));
          expect((await repo.getById(job.id))!.tags).toEqual(tags);
        });

        it('gets a seeded job by id', async () => {
          expect(await repo.getById('42')).toEqual(await storedJob(db, '42'));
        });

        it('returns null for an unknown id', async () => {
          expect(await repo.getById('999999999')).toBeNull();
        });

        it('rejects an id that is not a bigint with JOBBENCH_ERR_VALIDATION', async () => {
          await expect(repo.getById('12abc')).rejects.toMatchObject({ code: 'JOBBENCH_ERR_VALIDATION' });
          await expect(repo.getById('99999999999999999999')).rejects.toMatchObject({ code: 'JOBBENCH_ERR_VALIDATION' });
        });

        it('rejects a NUL byte in any string with JOBBENCH_ERR_VALIDATION', async () => {
          const invalid = { code: 'JOBBENCH_ERR_VALIDATION' };
          await expect(repo.create(newJob({ title: 'a\u0000b' }))).rejects.toMatchObject(invalid);
          await expect(repo.create(newJob({ tags: ['x\u0000'] }))).rejects.toMatchObject(invalid);
          await expect(repo.search({ q: '\u0000' }, { limit: 1 })).rejects.toMatchObject(invalid);
          await expect(repo.search({ location: 'Paris\u0000' }, { limit: 1 })).rejects.toMatchObject(invalid);
        });

        it('rejects salaryMin above salaryMax with JOBBENCH_ERR_VALIDATION and stores nothing', async () => {
          const [before] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
          await expect(repo.create(newJob({ salaryMin: 90_000, salaryMax: 10_000 }))).rejects.toMatchObject({
            code: 'JOBBENCH_ERR_VALIDATION',
          });
          await expect(repo.create(newJob({ postedAt: 'not a date' }))).rejects.toMatchObject({
            code: 'JOBBENCH_ERR_VALIDATION',
          });
          expect(await db.query('SELECT count(*)::int AS n FROM jobs')).toEqual([before]);
        });
      });

      describe('search', () => {
        it.each(FILTERS)('returns the first page newest first: %s', async (_label, filters) => {
          const ids = await expectedIds(db, filters);
          const page = await repo.search(filters, { limit: 100 });
          expect(page.items.map((j) => j.id)).toEqual(ids.slice(0, 100));
          const last = page.items[page.items.length - 1];
          expect(page.next).toEqual(ids.length > 100 && last ? { postedAt: last.postedAt, id: last.id } : null);
          for (const job of page.items) {
            if (filters.contract) expect(job.contract).toBe(filters.contract);
            if (filters.location) expect(job.location).toBe(filters.location);
            if (filters.company) expect(job.company).toBe(filters.company);
            if (filters.remote !== undefined) expect(job.remote).toBe(filters.remote);
            if (filters.salaryMin !== undefined) expect(job.salaryMax).toBeGreaterThanOrEqual(filters.salaryMin);
            for (const tag of filters.tags ?? []) expect(job.tags).toContain(tag);
          }
        });

        it('finds jobs for every filter but the last (the table above is not vacuous)', async () => {
          const empty = [];
          for (const [label, filters] of FILTERS) if ((await expectedIds(db, filters)).length === 0) empty.push(label);
          expect(empty).toEqual(['nothing matches']);
        });

        it('walks every page with no duplicate and no gap', async () => {
          const ids = (await walk(repo, {}, 97)).flat().map((j) => j.id);
          expect(ids).toEqual(await expectedIds(db, {}));
        });

        it('walks a filtered search to its end, the last page short and without a cursor', async () => {
          const filters: JobFilters = { q: 'engineer', remote: true };
          const pages = await walk(repo, filters, 25);
          expect(pages.flat().map((j) => j.id)).toEqual(await expectedIds(db, filters));
          expect(pages.slice(0, -1).every((p) => p.length === 25)).toBe(true);
        });

        it('ends with next null when the last page is exactly full', async () => {
          const count = (await expectedIds(db, { company: 'Hooli' })).length;
          const page = await repo.search({ company: 'Hooli' }, { limit: count });
          expect(page.items).toHaveLength(count);
          expect(page.next).toBeNull();
        });

        it('keeps a walk stable when newer jobs are inserted mid-walk', async () => {
          const before = await expectedIds(db, {});
          const pages = await walk(repo, {}, 150, async (page, index) => {
            if (index !== 2) return;
            // Newer than every row: the very top, and the cursor's own instant with a larger id.
            await repo.create(newJob({ postedAt: '2099-01-01T00:00:00.000Z' }));
            await repo.create(newJob({ postedAt: page.next!.postedAt }));
          });
          expect(pages.flat().map((j) => j.id)).toEqual(before);
        });
      });

      it('returns stats equal to the same numbers computed in SQL', async () => {
        expect(await repo.stats()).toEqual(await expectedStats(db));
      });

      it('pings the database', async () => {
        await expect(repo.ping()).resolves.toBeUndefined();
      });

      it('reports pool gauges within the pool size, or null when the driver has none', () => {
        const stats = repo.poolStats();
        if (stats === null) return;
        expect(stats.total).toBeLessThanOrEqual(testDbConfig(repoUrl, name, repoConfig).poolMax);
        expect(stats.idle).toBeLessThanOrEqual(stats.total);
        expect(stats.waiting).toBe(0);
      });

      it('lets in-flight queries finish on close, then rejects every call with JOBBENCH_ERR_DB_UNAVAILABLE', async () => {
        const own = await createRepository(name, testDbConfig(repoUrl, name, repoConfig));
        const inFlight = own.search({ q: 'engineer' }, { limit: 10 });
        await own.close();
        expect((await inFlight).items).toHaveLength(10);
        const unavailable = { code: 'JOBBENCH_ERR_DB_UNAVAILABLE' };
        await expect(own.ping()).rejects.toMatchObject(unavailable);
        await expect(own.getById('1')).rejects.toMatchObject(unavailable);
        await expect(own.search({}, { limit: 1 })).rejects.toMatchObject(unavailable);
        await expect(own.stats()).rejects.toMatchObject(unavailable);
        await expect(own.create(newJob())).rejects.toMatchObject(unavailable);
      });
    });
  }
}
