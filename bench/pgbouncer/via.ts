import type { TargetConnection } from '../benchmark.ts';
import type { Progress } from '../progress.ts';
import type { Via } from '../results/types.ts';
import type { TargetSpec } from '../target.ts';
import { startPgBouncer, type PgBouncer } from './start.ts';

/** How the servers under test reach PostgreSQL for one command: directly, or through a PgBouncer started for it. */
export interface Route {
  via: Via;
  connect?: (target: TargetSpec) => TargetConnection; // undefined: the direct URL
  pgbouncer?: PgBouncer;
  database: string; // the database name (SHOW POOLS reports by name)
}

/**
 * Runs `fn` with the route `via` asks for; a PgBouncer started here is stopped when `fn` settles (and on
 * Ctrl-C or exit, through bench/lifecycle.ts). `poolSize` is PgBouncer's default_pool_size: make it at
 * least the largest server pool, so that PgBouncer does not become the pool being measured.
 */
export async function withRoute<T>(
  via: Via,
  options: { databaseUrl: string; poolSize: number; statementTimeoutMs: number; maxClientConn?: number; progress: Progress },
  fn: (route: Route) => Promise<T>,
): Promise<T> {
  const database = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1)) || 'postgres';
  if (via === 'direct') return fn({ via, database });
  const pgbouncer = await startPgBouncer({ databaseUrl: options.databaseUrl, poolSize: options.poolSize, statementTimeoutMs: options.statementTimeoutMs, ...(options.maxClientConn ? { maxClientConn: options.maxClientConn } : {}) });
  options.progress.log(
    `pgbouncer ${pgbouncer.version} on 127.0.0.1:${pgbouncer.port}, transaction mode, default_pool_size ${pgbouncer.poolSize}; ` +
      `servers run with JOBBENCH_PREPARE=off, JOBBENCH_PIPELINE=off, JOBBENCH_MIGRATE=off`,
  );
  try {
    return await fn({ via, connect: () => pgbouncer.connection(), pgbouncer, database });
  } finally {
    await pgbouncer.stop();
  }
}
