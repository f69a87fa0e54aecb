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
  // pg-pool drops its own error listener while a client is checked out (pg-pool/index.js _acquireClient),
  // so a connection that dies between the query's error and the release (Kysely releases a few awaits
  // later; a fast shutdown sends 57P01, then the socket closes) emits 'error' with no listener, which
  // crashes the process. The query has its error already; release() then sees the client is not
  // queryable and discards it.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
