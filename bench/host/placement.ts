/** Applies `--cpus` once per run: the harness (and so the generator it forks) and, when allowed, PostgreSQL. */
import pg from 'pg';
import { pinPid, pinTree, postmasterOf } from './affinity.ts';
import { commOf } from './procfs.ts';
import type { CpuPlacement } from '../results/cpu.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

/** The run's placement as applied: which roles were pinned and, for PostgreSQL, its postmaster. */
export interface AppliedPlacement extends CpuPlacement {
  postmasterPid?: number; // set when db was pinned
  dbNote?: string; // why db was not pinned
}

/**
 * `ownsDatabase`: the run started this PostgreSQL (embedded). A shared server (DATABASE_URL) is never
 * pinned: its other clients would be squeezed onto our CPUs, and it may not be ours to change.
 */
export async function applyPlacement(
  placement: CpuPlacement,
  databaseUrl: string,
  ownsDatabase: boolean,
): Promise<AppliedPlacement> {
  const applied: AppliedPlacement = { ...placement };
  if (placement.generator) pinPid(process.pid, placement.generator);
  if (!placement.db) return applied;
  if (!ownsDatabase) {
    applied.dbNote =
      'not applied: the PostgreSQL at DATABASE_URL is shared (pinned only when the run starts its own, --db embedded)';
    return applied;
  }
  const client = new pg.Client({ connectionString: databaseUrl, application_name: HARNESS_CONNECTIONS.placement });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]!.pid;
    if (commOf(backend) !== 'postgres') {
      applied.dbNote = 'not applied: PostgreSQL is not a local process (its backend pid is not visible here)';
      return applied;
    }
    const postmaster = postmasterOf(backend);
    pinTree(postmaster, placement.db);
    applied.postmasterPid = postmaster;
  } catch (err) {
    applied.dbNote = `not applied: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    await client.end();
  }
  return applied;
}
