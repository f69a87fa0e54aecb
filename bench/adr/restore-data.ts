import pg from 'pg';
import { SCENARIOS, type ScenarioName } from '../../scenarios/catalog.ts';

/** Paths whose requests insert jobs (create, and mixed through its create share). */
export function writesJobs(scenario: string): boolean {
  return Object.hasOwn(SCENARIOS, scenario) && SCENARIOS[scenario as ScenarioName].requests.some((r) => r.name === 'create');
}

/**
 * Puts the table back to the seeded rows (ids 1..jobCount, src/db/seed.ts) after a window that wrote:
 * a create window at thousands of req/s adds tens of thousands of rows, and every later stats or search
 * window (full aggregates, bigger indexes) would then run on a bigger table than the adapter measured
 * before it. VACUUM so that the deleted rows do not stay in the scans either. Returns the rows deleted.
 */
export async function restoreSeededJobs(databaseUrl: string, jobCount: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'jobbench:adr-restore' });
  await client.connect();
  try {
    const { rowCount } = await client.query('DELETE FROM jobs WHERE id > $1', [jobCount]);
    if (rowCount) await client.query('VACUUM (ANALYZE) jobs');
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}
