import { prepareDatabase, type PreparedDb } from '../db/prepare.ts';
import type { DbMode } from '../db/types.ts';
import type { Progress } from '../host/progress.ts';

export type BenchDatabase = PreparedDb;

/** Finds or starts the database, migrates it and seeds it if needed: the common start of every benchmark command. */
export function prepareBenchDatabase(opts: {
  databaseUrl?: string;
  mode?: DbMode;
  jobs: number;
  seed: number;
  noSeed?: boolean; // leave an existing database as it is (an embedded one is still seeded: it starts empty)
  allowDbRestart?: boolean; // --allow-db-restart: a power switch for an external PostgreSQL on this machine
  maxConnections?: number; // an embedded PostgreSQL's max_connections (pools × workers of the plan's targets)
  progress: Progress;
}): Promise<BenchDatabase> {
  return prepareDatabase({
    databaseUrl: opts.databaseUrl,
    mode: opts.mode ?? 'auto',
    exclusive: true,
    seed: opts.noSeed ? undefined : { jobs: opts.jobs, seed: opts.seed },
    ...(opts.allowDbRestart ? { allowRestart: true } : {}),
    ...(opts.maxConnections ? { maxConnections: opts.maxConnections } : {}),
    log: (m) => opts.progress.log(m),
    onSeedProgress: (done, total) => opts.progress.update(`seeding ${done}/${total} jobs…`),
  });
}
