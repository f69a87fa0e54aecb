import pg from 'pg';
import { redactUrl } from '../../src/config.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { withClient } from './client.ts';
import { HARNESS_CONNECTIONS, runLockApplicationName } from '../../shared/application-names.ts';

// Any constant apart from src/db/migrate.ts's: one benchmark per database at a time.
export const RUN_LOCK_KEY = 7_301_985;

/** Who holds a database's run lock, as pg_stat_activity tells it. */
export interface LockHolder {
  backendPid: number;
  applicationName: string;
  since: string; // the holding connection's backend_start, ISO 8601
}

export interface RunLock {
  release(): Promise<void>;
}

const RETAKE_EVERY_MS = 1_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A session-level advisory lock that a benchmark holds on its database from before it migrates and
 * seeds until it ends: a second benchmark on the same database is refused (exit 2, naming the holder)
 * instead of reseeding the table under the first (a soak once measured 13% 404s that way). The lock is
 * the server's, so it goes with the holder's connection however the holder ends, kill -9 included.
 * When the server drops that connection (a restart, announced by a db-restart fault or not; a terminated
 * backend), the lock is taken again on a new one, tried every second until it is back or released; if
 * another run took it meanwhile, the rest of this run goes unguarded rather than failed.
 */
export async function takeRunLock(url: string): Promise<RunLock> {
  const first = await tryLock(url);
  if (!first) {
    const holder = await lockHolder(url).catch(() => null);
    throw new HarnessError('JOBBENCH_CLI_ERR_DB_IN_USE', inUseMessage(url, holder));
  }
  let released = false;
  let client: pg.Client | null = null;
  const hold = (c: pg.Client): void => {
    client = c;
    c.once('end', () => {
      if (released || client !== c) return; // ended by release()
      client = null;
      void retake();
    });
  };
  const retake = async (): Promise<void> => {
    while (!released) {
      await new Promise((r) => setTimeout(r, RETAKE_EVERY_MS).unref());
      if (released) return;
      const c = await tryLock(url).catch(() => undefined); // undefined: the server is not back yet
      if (c === null) return; // another run holds it now
      if (!c) continue;
      if (released) await c.end().catch(() => {});
      else hold(c);
      return;
    }
  };
  hold(first);
  return {
    async release() {
      released = true;
      const c = client;
      client = null;
      await c?.end().catch(() => {}); // closing the session releases the lock
    },
  };
}

/** The connection holding the lock (kept open: the lock lives as long as its session), or null. */
async function tryLock(url: string): Promise<pg.Client | null> {
  const client = new pg.Client({
    connectionString: url,
    application_name: runLockApplicationName(process.pid),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS, // a retake in flight must not hold the run's exit for long
  });
  client.on('error', () => {}); // the server going away (a restart) must not crash the run
  let locked = false;
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      RUN_LOCK_KEY,
    ]);
    locked = rows[0]!.locked;
  } finally {
    if (!locked) await client.end().catch(() => {});
  }
  return locked ? client : null;
}

/** The session holding the run lock on this database, or null when it was released meanwhile. */
export async function lockHolder(url: string): Promise<LockHolder | null> {
  return withClient(url, { applicationName: HARNESS_CONNECTIONS.probe }, async (client) => {
    // A lock on one int key: classid 0, objid the key, objsubid 1 (see the pg_locks documentation).
    const { rows } = await client.query<{ pid: number; application_name: string; backend_start: Date }>(
      `SELECT a.pid, a.application_name, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [RUN_LOCK_KEY],
    );
    const row = rows[0];
    return row
      ? { backendPid: row.pid, applicationName: row.application_name, since: row.backend_start.toISOString() }
      : null;
  });
}

function inUseMessage(url: string, holder: LockHolder | null): string {
  const who = holder
    ? `another jobbench benchmark (${holder.applicationName || 'no application_name'}, PostgreSQL backend ${holder.backendPid}, since ${holder.since})`
    : 'another jobbench benchmark';
  return (
    `the database at ${redactUrl(url)} is in use by ${who}: one benchmark per database at a time, ` +
    `or one would reseed the table the other measures; wait for it, or give this run a database of its own ` +
    `(DATABASE_URL=…/another_database, or leave DATABASE_URL unset for an embedded one)`
  );
}
