import { redactUrl } from '../../src/config.ts';
import { migrate } from '../../src/db/migrate.ts';
import { SEED_DEFAULTS, seed } from '../../src/db/seed.ts';
import { HarnessError, oneLine } from '../../shared/harness-errors.ts';
import { externalPower } from './external-power.ts';
import { provisionDatabase, serverVersion, type ProvisionOptions } from './provision.ts';
import { takeRunLock, type RunLock } from './run-lock.ts';
import type { ProvisionedDb } from './types.ts';

export interface PrepareOptions extends ProvisionOptions {
  /**
   * The data to load. Without it, a database this process started (empty) is seeded with the
   * defaults, and an existing one is left as it is: not even migrated (`jobbench serve` migrates at
   * start-up unless JOBBENCH_MIGRATE=off, as behind PgBouncer).
   */
  seed?: { jobs: number; seed: number } | undefined;
  onSeedProgress?: (doneJobs: number, totalJobs: number) => void;
  /** --allow-db-restart: an external PostgreSQL on this machine gets a power switch (else refused, exit 2). */
  allowRestart?: boolean;
  /** A benchmark: hold the database's run lock until stop(), refused (exit 2) while another run holds it. */
  exclusive?: boolean;
}

export interface PreparedDb extends ProvisionedDb {
  postgresVersion: string; // as the server reports it, e.g. "15.20"
  seeded: boolean; // rows were loaded by this call (false: already seeded alike, or not asked to)
}

/**
 * Provision → check it answers → migrate → seed: the common start of `serve`, `db up` and every
 * benchmark. Progress goes to `log` and `onSeedProgress`. Throws a HarnessError (db-unreachable,
 * db-prepare, or one of provisionDatabase's) with the password redacted; a database it started is
 * stopped again on failure.
 */
export async function prepareDatabase(options: PrepareOptions): Promise<PreparedDb> {
  const log = options.log ?? (() => {});
  let db = await provisionDatabase(options);
  try {
    const postgresVersion = await serverVersion(db.url);
    if (options.allowRestart && db.kind === 'external') {
      // Checked before anything is migrated or seeded: a refusal costs nothing.
      const power = await externalPower(db.url);
      log(`db-restart faults: ${power.controller} stops and starts this PostgreSQL (started again on any exit)`);
      db = { ...db, power, stop: power.release };
    }
    if (options.exclusive) db = withRunLock(db, await takeRunLock(db.url));
    log(`database: ${db.kind} ${redactUrl(db.url)}${db.started ? ' (stopped on exit)' : ''}`);
    const wanted = options.seed ?? (db.started ? SEED_DEFAULTS : undefined);
    if (!wanted) return { ...db, postgresVersion, seeded: false };
    const seedOptions: Parameters<typeof seed>[1] = {
      jobs: wanted.jobs,
      seed: wanted.seed,
      ...(options.onSeedProgress && { onProgress: (done: number) => options.onSeedProgress!(done, wanted.jobs) }),
    };
    let loaded: boolean;
    try {
      await migrate(db.url);
      loaded = (await seed(db.url, seedOptions)).loaded;
    } catch (err) {
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_DB_PREPARE',
        `cannot migrate or seed the database at ${redactUrl(db.url)}: ${oneLine(err)}`,
        { cause: err },
      );
    }
    log(
      loaded
        ? `seeded ${wanted.jobs} jobs (seed ${wanted.seed})`
        : `already seeded with ${wanted.jobs} jobs (seed ${wanted.seed})`,
    );
    return { ...db, postgresVersion, seeded: loaded };
  } catch (err) {
    await db.stop();
    throw err;
  }
}

/** The database with its run lock, released by stop(). */
function withRunLock(db: ProvisionedDb, lock: RunLock): ProvisionedDb {
  return { ...db, stop: async () => (await lock.release(), await db.stop()) };
}
