import type { Job, JobFilters, JobStats, NewJob, PageRequest } from '../domain/job.ts';
import { CONTRACT_TYPES } from '../domain/job.ts';

/**
 * The SQL text shared by the adapters that send raw SQL (pg-pool, postgres-js, pg-sync).
 * Kysely builds the same statements with its query builder. Every value is a $n parameter.
 */

export const JOB_COLUMNS = `id::text AS id, title, company, location, contract, remote,
  salary_min AS "salaryMin", salary_max AS "salaryMax", tags, description, posted_at AS "postedAt"`;

// posted_at is truncated to milliseconds even when given: the keyset cursor carries a JS Date (no
// microseconds), so a stored microsecond would make the cursor skip rows that share its millisecond.
export const INSERT_JOB = `INSERT INTO jobs (title, company, location, contract, remote, salary_min, salary_max, tags, description, posted_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, date_trunc('milliseconds', coalesce($10::timestamptz, now())))
  RETURNING ${JOB_COLUMNS}`;

export function insertParams(input: NewJob): unknown[] {
  return [
    input.title,
    input.company,
    input.location,
    input.contract,
    input.remote,
    input.salaryMin,
    input.salaryMax,
    input.tags,
    input.description,
    input.postedAt ?? null,
  ];
}

export const GET_JOB = `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1::bigint`;

export interface Statement {
  text: string;
  values: unknown[];
}

/** One page of matching jobs, newest first; asks for limit + 1 rows to learn whether a next page exists. */
export function searchStatement(filters: JobFilters, page: PageRequest): Statement {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (v: unknown, cast = ''): string => `$${values.push(v)}${cast}`;
  if (filters.q !== undefined) where.push(`search @@ websearch_to_tsquery('english', ${param(filters.q)})`);
  if (filters.location !== undefined) where.push(`location = ${param(filters.location)}`);
  if (filters.company !== undefined) where.push(`company = ${param(filters.company)}`);
  if (filters.contract !== undefined) where.push(`contract = ${param(filters.contract)}`);
  if (filters.remote !== undefined) where.push(`remote = ${param(filters.remote)}`);
  if (filters.salaryMin !== undefined) where.push(`salary_max >= ${param(filters.salaryMin, '::int')}`);
  if (filters.tags !== undefined && filters.tags.length > 0) where.push(`tags @> ${param(filters.tags, '::text[]')}`);
  if (page.after)
    where.push(
      `(posted_at, id) < (${param(page.after.postedAt, '::timestamptz')}, ${param(page.after.id, '::bigint')})`,
    );
  const text = `SELECT ${JOB_COLUMNS} FROM jobs${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
  ORDER BY posted_at DESC, id DESC LIMIT ${param(page.limit + 1, '::int')}`;
  return { text, values };
}

/** All aggregates in one statement, one round trip. Averages rounded to 2 decimals so every driver agrees. */
export const STATS = `WITH totals AS (
    SELECT count(*)::int AS total, count(*) FILTER (WHERE remote)::int AS remote,
           round(avg(salary_min), 2)::float8 AS "avgSalaryMin", round(avg(salary_max), 2)::float8 AS "avgSalaryMax"
    FROM jobs),
  by_contract AS (
    SELECT coalesce(json_object_agg(contract, n), '{}'::json) AS "byContract"
    FROM (SELECT contract, count(*)::int AS n FROM jobs GROUP BY contract) c),
  top_locations AS (
    SELECT coalesce(json_agg(json_build_object('location', location, 'count', n) ORDER BY n DESC, location), '[]'::json) AS "topLocations"
    FROM (SELECT location, count(*)::int AS n FROM jobs GROUP BY location ORDER BY n DESC, location LIMIT 10) l)
  SELECT * FROM totals, by_contract, top_locations`;

export const PING = 'SELECT 1';

/** A row as every driver returns it (column aliases above) into the domain Job. */
export function toJob(row: Record<string, unknown>): Job {
  const postedAt = row.postedAt;
  return {
    id: String(row.id),
    title: row.title as string,
    company: row.company as string,
    location: row.location as string,
    contract: row.contract as Job['contract'],
    remote: row.remote as boolean,
    salaryMin: row.salaryMin === null ? null : Number(row.salaryMin),
    salaryMax: row.salaryMax === null ? null : Number(row.salaryMax),
    tags: row.tags as string[],
    description: row.description as string,
    postedAt: (postedAt instanceof Date ? postedAt : new Date(postedAt as string)).toISOString(),
  };
}

/** The stats row (or JSON parsed from it) into the domain JobStats, with every contract type present. */
export function toStats(row: Record<string, unknown>): JobStats {
  const raw = (typeof row.byContract === 'string' ? JSON.parse(row.byContract) : row.byContract) as Record<
    string,
    number
  >;
  const top = (
    typeof row.topLocations === 'string' ? JSON.parse(row.topLocations) : row.topLocations
  ) as JobStats['topLocations'];
  const total = Number(row.total);
  const byContract = Object.fromEntries(CONTRACT_TYPES.map((c) => [c, Number(raw[c] ?? 0)])) as JobStats['byContract'];
  const nullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    total,
    byContract,
    remoteShare: total === 0 ? 0 : Number(row.remote) / total,
    avgSalaryMin: nullableNumber(row.avgSalaryMin),
    avgSalaryMax: nullableNumber(row.avgSalaryMax),
    topLocations: top,
  };
}

/** Splits limit + 1 rows into the page and the keyset of its last row when more rows follow. */
export function toPage(rows: Record<string, unknown>[], limit: number) {
  const items = rows.slice(0, limit).map(toJob);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? { postedAt: last.postedAt, id: last.id } : null };
}
