import pg from 'pg';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';
import { restoreSeededJobs } from '../../src/db/seed.ts';

/**
 * The seeded data checked before a round (DESIGN.md rule 12): the table holds exactly the rows the run
 * seeded (ids 1..jobs, as jobbench_seed_state says it loaded them). Rows a write left behind are removed
 * (restoreSeededJobs); anything else — fewer rows, another seed or size — is not the run's data, and
 * every window of the round would measure something else: the caller fails them with the reason.
 */
export async function ensureSeededData(
  url: string,
  expect: { jobs: number; seed: number },
): Promise<{ ok: true; restored: number } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: url, application_name: HARNESS_CONNECTIONS.probe });
  client.on('error', () => {});
  await client.connect();
  let rows: number;
  let state: { seed: number; jobs: number } | undefined;
  try {
    const result = await client.query<{ rows: number; seed: number | null; jobs: number | null }>(
      'SELECT (SELECT count(*)::int FROM jobs WHERE id <= $1) AS rows, s.seed, s.jobs FROM (SELECT 1) one LEFT JOIN jobbench_seed_state s ON true',
      [expect.jobs],
    );
    rows = result.rows[0]!.rows;
    const { seed, jobs } = result.rows[0]!;
    state = seed === null || jobs === null ? undefined : { seed, jobs };
  } finally {
    await client.end().catch(() => {});
  }
  if (!state || state.jobs !== expect.jobs || state.seed !== expect.seed || rows !== expect.jobs)
    return {
      ok: false,
      reason: `the data is not what this run seeded: ${rows} of ids 1..${expect.jobs} present, seed state ${state ? `${state.jobs} jobs, seed ${state.seed}` : 'missing'} (expected ${expect.jobs} jobs, seed ${expect.seed})`,
    };
  return { ok: true, restored: await restoreSeededJobs(url, expect.jobs) };
}
