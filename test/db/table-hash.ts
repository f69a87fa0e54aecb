import type { TestDatabase } from '../support/db.ts';

/** One md5 over every row of jobs in id order, posted_at as epoch microseconds so the session time zone cannot matter. */
export async function jobsHash(db: TestDatabase): Promise<string> {
  const [row] = await db.query<{ hash: string }>(
    `SELECT md5(coalesce(string_agg(concat_ws('|', id, title, company, location, contract, remote, salary_min, salary_max,
              tags::text, description, (extract(epoch FROM posted_at) * 1000000)::bigint), E'\\n' ORDER BY id), '')) AS hash
     FROM jobs`,
  );
  return row!.hash;
}
