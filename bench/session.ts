import { redactUrl } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { seed } from '../src/db/seed.ts';
import { provisionDatabase, serverVersion, type DbMode, type ProvisionedDb } from './db/provision.ts';
import type { Progress } from './progress.ts';

export interface BenchDatabase extends ProvisionedDb {
  postgresVersion: string;
}

/** Finds or starts the database, migrates it and seeds it if needed: the common start of every benchmark command. */
export async function prepareBenchDatabase(opts: {
  databaseUrl?: string;
  mode?: DbMode;
  jobs: number;
  seed: number;
  progress: Progress;
}): Promise<BenchDatabase> {
  const db = await provisionDatabase({
    databaseUrl: opts.databaseUrl,
    mode: opts.mode ?? 'auto',
    log: (m) => opts.progress.log(m),
  });
  try {
    opts.progress.log(`database: ${db.kind} ${redactUrl(db.url)}`);
    await migrate(db.url);
    const seeded = await seed(db.url, {
      jobs: opts.jobs,
      seed: opts.seed,
      onProgress: (n) => opts.progress.update(`seeding ${n}/${opts.jobs} jobs…`),
    });
    opts.progress.log(
      seeded.loaded
        ? `seeded ${opts.jobs} jobs (seed ${opts.seed})`
        : `data already seeded (${opts.jobs} jobs, seed ${opts.seed})`,
    );
    return { ...db, postgresVersion: await serverVersion(db.url) };
  } catch (err) {
    await db.stop();
    throw err;
  }
}
