import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/adapters/registry.ts';
import { SEARCH_TERMS } from '../../shared/vocabulary.ts';
import { CONTRACT_TYPES, type JobFilters } from '../../src/domain/job.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';
import { isJobbenchError } from '../../src/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { adapterCases, testDbConfig, walk } from './fixtures.ts';

// Every adapter, the same seed, the same calls: the results (and errors) must be deep-equal, so that a
// difference in a benchmark can only come from the driver, never from what it returned.

const cases = await adapterCases();
const ADAPTER_NAMES = cases.filter((c) => !c.skip).map((c) => c.name);
const SKIPPED = cases.filter((c) => c.skip).map((c) => c.label);

let db: TestDatabase;
const repos = new Map<string, JobRepository>();
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 2_000 });
  for (const name of ADAPTER_NAMES) repos.set(name, await createRepository(name, testDbConfig(db.url, name)));
});
afterAll(async () => {
  for (const repo of repos.values()) await repo.close();
  await db?.drop();
});

type Call = (repo: JobRepository) => Promise<unknown>;

const SEARCHES: JobFilters[] = [
  {},
  ...CONTRACT_TYPES.map((contract) => ({ contract })),
  ...SEARCH_TERMS.map((q) => ({ q })),
  { location: 'Lyon', remote: true },
  { company: 'Initech', salaryMin: 80_000 },
  { tags: ['rust', 'kafka'] },
  { q: 'engineer', tags: ['aws'], contract: 'full-time', remote: false },
];

const CALLS: [string, Call][] = [
  ['getById of seeded ids', (r) => Promise.all(['1', '2', '999', '1000', '2000'].map((id) => r.getById(id)))],
  ['getById of an unknown id', (r) => r.getById('2001')],
  ['getById of a malformed id', (r) => r.getById('1e3')],
  ...SEARCHES.map((filters): [string, Call] => [
    `search ${JSON.stringify(filters)}: first page`,
    (r) => r.search(filters, { limit: 20 }),
  ]),
  ...SEARCHES.slice(0, 8).map((filters): [string, Call] => [
    `search ${JSON.stringify(filters)}: every page`,
    (r) => walk(r, filters, 100),
  ]),
  [
    'search after a cursor no row has',
    (r) => r.search({}, { limit: 5, after: { postedAt: '2025-03-03T03:03:03.333Z', id: '1500' } }),
  ],
  ['search with a malformed cursor', (r) => r.search({}, { limit: 5, after: { postedAt: 'yesterday-ish', id: '1' } })],
  ['search with a NUL byte', (r) => r.search({ company: 'Globex\u0000' }, { limit: 5 })],
  ['search with an out-of-range salary', (r) => r.search({ salaryMin: 2 ** 31 }, { limit: 5 })],
  ['stats', (r) => r.stats()],
];

/** A call's outcome as plain data: its value, or the catalogue code and message of its error. */
async function outcome(call: Call, repo: JobRepository): Promise<unknown> {
  try {
    return { value: await call(repo) };
  } catch (err) {
    return isJobbenchError(err) ? { error: err.code, message: err.message } : { error: String(err) };
  }
}

describe(`adapters ${ADAPTER_NAMES.join(', ')}${SKIPPED.length ? `; ${SKIPPED.join('; ')}` : ''}`, () => {
  it.each(CALLS)('return identical results: %s', async (_label, call) => {
    const [first, ...others] = ADAPTER_NAMES.map((name) => repos.get(name)!);
    const expected = await outcome(call, first!);
    for (const [i, repo] of others.entries()) {
      expect({ adapter: ADAPTER_NAMES[i + 1], outcome: await outcome(call, repo) }).toEqual({
        adapter: ADAPTER_NAMES[i + 1],
        outcome: expected,
      });
    }
  });

  it('create identical jobs from identical input, ids aside', async () => {
    const input = {
      title: 'Cross Adapter Engineer',
      company: 'Sameness Inc',
      location: 'Everywhere',
      contract: 'part-time' as const,
      remote: false,
      salaryMin: 1,
      salaryMax: 2_147_483_647,
      tags: ['a', 'b'],
      description: 'Identical in, identical out.',
      postedAt: '2020-02-29T23:59:59.999-01:00',
    };
    const created = [];
    for (const name of ADAPTER_NAMES) created.push(await repos.get(name)!.create(input));
    const [first, ...others] = created.map(({ id: _id, ...job }) => job);
    for (const job of others) expect(job).toEqual(first);
    expect(first!.postedAt).toBe('2020-03-01T00:59:59.999Z');
  });
});
