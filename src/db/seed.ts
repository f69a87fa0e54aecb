import pg from 'pg';
import { generateJob } from '../../shared/job-generator.ts';
import { createRng } from '../../shared/prng.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

export const SEED_DEFAULTS = { jobs: 10_000, seed: 42 } as const;
const BATCH_ROWS = 5_000; // rows per INSERT: large enough to amortise round trips, small enough for memory

export interface SeedResult {
  jobs: number;
  seed: number;
  loaded: boolean; // false when the table already held exactly this seed and size
}

/**
 * Loads `jobs` deterministic rows (ids 1..jobs) for `seed`, replacing whatever the table held,
 * unless the table already holds exactly that seed and size with no rows added since.
 * Rows go in as one INSERT ... SELECT FROM unnest(arrays) per batch: one round trip per 5,000 rows.
 */
export async function seed(
  url: string,
  options: { jobs: number; seed: number; force?: boolean; onProgress?: (done: number) => void },
): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: url, application_name: HARNESS_CONNECTIONS.seed });
  await client.connect();
  try {
    const state = await client.query<{ seed: number; jobs: number; count: string }>(
      'SELECT s.seed, s.jobs, (SELECT count(*) FROM jobs) AS count FROM jobbench_seed_state s',
    );
    const row = state.rows[0];
    if (
      !options.force &&
      row &&
      row.seed === options.seed &&
      row.jobs === options.jobs &&
      Number(row.count) >= options.jobs
    ) {
      // Same data, plus rows that create requests added since (ids above the seeded ones): drop those.
      if (Number(row.count) > options.jobs) await restoreSeededJobs(url, options.jobs);
      return { jobs: options.jobs, seed: options.seed, loaded: false };
    }
    await client.query('BEGIN');
    await client.query('TRUNCATE jobs RESTART IDENTITY');
    const rng = createRng(options.seed);
    for (let start = 0; start < options.jobs; start += BATCH_ROWS) {
      const count = Math.min(BATCH_ROWS, options.jobs - start);
      const cols: unknown[][] = Array.from({ length: 11 }, () => []);
      for (let i = 0; i < count; i++) {
        const j = generateJob(rng);
        const values = [
          start + i + 1,
          j.title,
          j.company,
          j.location,
          j.contract,
          j.remote,
          j.salaryMin,
          j.salaryMax,
          j.tags.join(','),
          j.description,
          j.postedAt,
        ];
        values.forEach((v, c) => cols[c]!.push(v));
      }
      await client.query(
        `INSERT INTO jobs (id, title, company, location, contract, remote, salary_min, salary_max, tags, description, posted_at)
         SELECT id, title, company, location, contract, remote, salary_min, salary_max, string_to_array(tags, ','), description, posted_at
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::int[], $8::int[], $9::text[], $10::text[], $11::timestamptz[])
           AS t(id, title, company, location, contract, remote, salary_min, salary_max, tags, description, posted_at)`,
        cols,
      );
      options.onProgress?.(start + count);
    }
    await client.query("SELECT setval(pg_get_serial_sequence('jobs', 'id'), greatest($1::bigint, 1), $1::bigint > 0)", [
      options.jobs,
    ]);
    await client.query(
      `INSERT INTO jobbench_seed_state (seed, jobs) VALUES ($1, $2)
       ON CONFLICT (singleton) DO UPDATE SET seed = excluded.seed, jobs = excluded.jobs, seeded_at = now()`,
      [options.seed, options.jobs],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE jobs');
    return { jobs: options.jobs, seed: options.seed, loaded: true };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * Puts the table back to the seeded rows (ids 1..jobs; the API never updates or deletes them) after a
 * window that wrote: a create window at thousands of req/s adds tens of thousands of rows, and every later
 * stats or search window (full aggregates, bigger indexes) would run on a bigger table than the adapters
 * measured before it. VACUUM so that the deleted rows do not stay in the scans. Returns the rows deleted.
 */
export async function restoreSeededJobs(url: string, jobs: number): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: HARNESS_CONNECTIONS.restore });
  await client.connect();
  try {
    const { rowCount } = await client.query('DELETE FROM jobs WHERE id > $1', [jobs]);
    if (rowCount) await client.query('VACUUM (ANALYZE) jobs');
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}
