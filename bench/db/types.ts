/** Where a database comes from (`--db`): auto = DATABASE_URL, else (for serve) a running `db up`, else embedded. */
export const DB_MODES = ['auto', 'external', 'embedded', 'docker'] as const;
export type DbMode = (typeof DB_MODES)[number];

export const DB_KINDS = ['external', 'embedded', 'docker'] as const;
export type DbKind = (typeof DB_KINDS)[number];

/** A database to use, whoever started it. */
export interface ProvisionedDb {
  url: string; // contains the password: redact (src/config.ts redactUrl) before showing it
  kind: DbKind;
  started: boolean; // started by this process, hence empty at first and stopped by stop()
  stop(): Promise<void>; // a no-op for a database this process did not start
  /** Stop and start the same server (db-restart faults); absent when jobbench may not restart it. */
  power?: DbPower;
}

/** Stops a server and starts it again on the same data directory and port. */
export interface DbPower {
  /** What stops and starts it, recorded with every db-restart fault event (e.g. "pg_ctlcluster 15 main"). */
  controller: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
}
