import pg from 'pg';
import type { DbConfig } from '../domain/job-repository.ts';

/** A node-postgres Pool with the shared DbConfig: used by pg-pool and, under Kysely, by kysely. */
export function createPgPool(config: DbConfig): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs, // covers waiting for a free client too
    idleTimeoutMillis: config.idleTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    application_name: config.applicationName,
  });
  // An idle client's connection can die (server restart); without a listener pg would crash the process.
  pool.on('error', () => {});
  return pool;
}
