import { ADAPTERS, ADAPTER_NAMES, adapterAvailability, type AdapterName } from '../../src/adapters/registry.ts';
import type { Job, JobFilters, JobPage, JobStats, NewJob } from '../../src/domain/job.ts';
import { CONTRACT_TYPES } from '../../src/domain/job.ts';
import type { DbConfig, JobRepository } from '../../src/domain/job-repository.ts';
import type { TestDatabase } from '../support/db.ts';

export interface AdapterCase {
  name: AdapterName;
  label: string; // the describe() title, with the reason when skipped
  skip: boolean;
}

/**
 * Every adapter of the registry, with those whose driver cannot load here (pg-native is optional)
 * marked skipped with the reason, so that a missing optional driver shows up instead of failing the run.
 * `needsAsync` also skips the blocking adapters, for tests that need two calls in flight at once.
 */
export async function adapterCases(options: { needsAsync?: boolean } = {}): Promise<AdapterCase[]> {
  const cases: AdapterCase[] = [];
  for (const name of ADAPTER_NAMES) {
    const availability = await adapterAvailability(name);
    if (!availability.available) cases.push({ name, label: `${name} (skipped: ${availability.reason})`, skip: true });
    else if (options.needsAsync && !ADAPTERS[name].async)
      cases.push({ name, label: `${name} (skipped: blocking adapter, never two calls in flight)`, skip: true });
    else cases.push({ name, label: name, skip: false });
  }
  return cases;
}

/** The DbConfig every adapter gets in tests; generous timeouts unless a test is about them. */
export function testDbConfig(url: string, adapter: string, overrides: Partial<DbConfig> = {}): DbConfig {
  return {
    url,
    poolMax: 4,
    connectTimeoutMs: 5_000,
    idleTimeoutMs: 10_000,
    statementTimeoutMs: 30_000,
    applicationName: `jobbench:${adapter}`,
    ...overrides,
  };
}

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    title: 'Senior Contract Test Engineer',
    company: 'Contract Suite Ltd',
    location: 'Contractville',
    contract: 'freelance',
    remote: true,
    salaryMin: 50_000,
    salaryMax: 65_000,
    tags: ['vitest', 'postgresql'],
    description: 'We are hiring an engineer to check that every adapter behaves the same.',
    ...overrides,
  };
}

/** Follows nextCursor from the first page to the last; `between` runs after each page but the last. */
export async function walk(
  repo: JobRepository,
  filters: JobFilters,
  limit: number,
  between?: (page: JobPage, index: number) => Promise<void>,
): Promise<Job[][]> {
  const pages: Job[][] = [];
  let page = await repo.search(filters, { limit });
  pages.push(page.items);
  while (page.next) {
    await between?.(page, pages.length - 1);
    page = await repo.search(filters, { limit, after: page.next });
    pages.push(page.items);
    if (pages.length > 10_000) throw new Error('the walk does not end');
  }
  return pages;
}

/**
 * The oracle: the ids a search must return, newest first, from SQL written here independently of the
 * adapters' SQL (src/adapters/sql.ts) and query builder.
 */
export async function expectedIds(db: TestDatabase, filters: JobFilters): Promise<string[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => where.push(clause(`$${values.push(value)}`));
  if (filters.q !== undefined) add((p) => `search @@ websearch_to_tsquery('english', ${p})`, filters.q);
  if (filters.location !== undefined) add((p) => `location = ${p}`, filters.location);
  if (filters.company !== undefined) add((p) => `company = ${p}`, filters.company);
  if (filters.contract !== undefined) add((p) => `contract = ${p}`, filters.contract);
  if (filters.remote !== undefined) add((p) => `remote = ${p}`, filters.remote);
  if (filters.salaryMin !== undefined) add((p) => `salary_max >= ${p}`, filters.salaryMin);
  for (const tag of filters.tags ?? []) add((p) => `${p} = ANY (tags)`, tag);
  const rows = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY posted_at DESC, id DESC`,
    values,
  );
  return rows.map((r) => r.id);
}

/** The stats, computed in SQL by the test with plain separate queries. */
export async function expectedStats(db: TestDatabase): Promise<JobStats> {
  const [totals] = await db.query<{ total: number; remote: number; min: string | null; max: string | null }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE remote)::int AS remote,
            round(avg(salary_min), 2)::text AS min, round(avg(salary_max), 2)::text AS max FROM jobs`,
  );
  const contracts = await db.query<{ contract: string; n: number }>(
    'SELECT contract, count(*)::int AS n FROM jobs GROUP BY contract',
  );
  const top = await db.query<{ location: string; count: number }>(
    'SELECT location, count(*)::int AS count FROM jobs GROUP BY location ORDER BY count(*) DESC, location LIMIT 10',
  );
  const byContract = Object.fromEntries(
    CONTRACT_TYPES.map((c) => [c, contracts.find((r) => r.contract === c)?.n ?? 0]),
  );
  return {
    total: totals!.total,
    byContract: byContract as JobStats['byContract'],
    remoteShare: totals!.total === 0 ? 0 : totals!.remote / totals!.total,
    avgSalaryMin: totals!.min === null ? null : Number(totals!.min),
    avgSalaryMax: totals!.max === null ? null : Number(totals!.max),
    topLocations: top,
  };
}

/** A job row read straight from the table, in the domain shape. */
export async function storedJob(db: TestDatabase, id: string): Promise<Job | undefined> {
  const [row] = await db.query<Job>(
    `SELECT id::text AS id, title, company, location, contract, remote, salary_min AS "salaryMin", salary_max AS "salaryMax",
            tags, description, to_char(posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "postedAt"
     FROM jobs WHERE id = $1::bigint`,
    [id],
  );
  return row;
}
