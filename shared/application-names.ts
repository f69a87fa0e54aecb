/**
 * Every PostgreSQL `application_name` jobbench sets, defined once. A target's connections carry
 * `jobbench:<target>` (the Node adapters in src/server.ts, the FastAPI targets in
 * targets/fastapi/config.py), so that pg_stat_activity counts one target's backends; every connection
 * of the harness itself carries one of HARNESS_APPLICATION_NAMES, which are never counted as a
 * target's (an external target measured without `app=` counts every backend but these).
 *
 * Here in shared/ rather than bench/ because src/ sets some of them (migrate, seed, restore, the
 * server's own metrics connection) and src/ must not import bench/.
 */
export const HARNESS_CONNECTIONS = {
  sampler: 'jobbench:sampler', // a measured window's one connection, shared by its probes (bench/window/sampler-db.ts)
  probe: 'jobbench:probe', // short questions: server version, reachability, facts, lock holder
  migrate: 'jobbench:migrate',
  seed: 'jobbench:seed',
  restore: 'jobbench:restore', // the seeded table restored after a window that wrote
  ceiling: 'jobbench:ceiling', // the DB ceiling (pgbench or the driver loop)
  metrics: 'jobbench:metrics', // the API server's one-connection pool that counts its own backends
  placement: 'jobbench:placement', // --cpus: finding and pinning the postmaster
  gate: 'jobbench:gate', // the gate's per-side databases
  status: 'jobbench:status', // jobbench db status
  runLock: 'jobbench:run-lock', // the advisory lock of one benchmark per database
} as const;

export type HarnessConnection = keyof typeof HARNESS_CONNECTIONS;

/** The harness's application names: excluded when a target's backends are counted. */
export const HARNESS_APPLICATION_NAMES: readonly string[] = Object.values(HARNESS_CONNECTIONS);

/** The run lock's name carries its holder's pid, so that a refused second run can name it. */
export function runLockApplicationName(pid: number): string {
  return `${HARNESS_CONNECTIONS.runLock} pid=${pid}`;
}

/**
 * SQL LIKE patterns matching every harness connection (`application_name LIKE ANY($1)`): the exact
 * names, and the run lock's with any pid.
 */
export const HARNESS_APPLICATION_PATTERNS: readonly string[] = [
  ...HARNESS_APPLICATION_NAMES.map((name) => name.replace(/[\\%_]/g, (c) => `\\${c}`)),
  `${HARNESS_CONNECTIONS.runLock} pid=%`,
];

/** The application_name of a target's own connections: `jobbench:<adapter or FastAPI target name>`. */
export function targetApplicationName(target: string): string {
  return `jobbench:${target}`;
}
