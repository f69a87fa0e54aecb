import type { TargetConnection } from '../targets/spec.ts';
import type { Progress } from '../host/progress.ts';
import type { Via } from '../results/types.ts';
import type { TargetSpec } from '../targets/spec.ts';
import { startPgBouncer, type PgBouncer } from './start.ts';

/** How the servers under test reach PostgreSQL for one command: directly, through a PgBouncer started for it, or both (per target). */
export interface Route {
  connect: (target: TargetSpec) => TargetConnection; // by the target's `via`
  pgbouncer?: PgBouncer; // when some target goes through PgBouncer
  database: string; // the database name (SHOW POOLS reports by name)
}

/** What a report says of the PgBouncer a run went through. */
export interface PgBouncerInfo {
  version: string;
  poolSize: number;
  preparedStatements: boolean;
}

/** The route's PgBouncer as the reports describe it, or undefined for a direct route. */
export function pgbouncerInfo(route: Route): PgBouncerInfo | undefined {
  if (!route.pgbouncer) return undefined;
  const { version, poolSize, preparedStatements } = route.pgbouncer;
  return { version, poolSize, preparedStatements };
}

/**
 * Runs `fn` with the routes `vias` ask for; a PgBouncer started here is stopped when `fn` settles (and
 * on Ctrl-C or exit, through bench/host/lifecycle.ts). `poolSize` is PgBouncer's default_pool_size: make it
 * at least the largest server pool, so that PgBouncer does not become the pool being measured.
 */
export async function withRoute<T>(
  vias: readonly Via[],
  options: {
    databaseUrl: string;
    poolSize: number;
    statementTimeoutMs: number;
    maxClientConn?: number;
    progress: Progress;
  },
  fn: (route: Route) => Promise<T>,
): Promise<T> {
  const database = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1)) || 'postgres';
  const direct: TargetConnection = { databaseUrl: options.databaseUrl };
  if (!vias.includes('pgbouncer')) return fn({ connect: () => direct, database });
  const pgbouncer = await startPgBouncer({
    databaseUrl: options.databaseUrl,
    poolSize: options.poolSize,
    statementTimeoutMs: options.statementTimeoutMs,
    ...(options.maxClientConn ? { maxClientConn: options.maxClientConn } : {}),
  });
  options.progress.log(
    `pgbouncer ${pgbouncer.version} on 127.0.0.1:${pgbouncer.port}, transaction mode, default_pool_size ${pgbouncer.poolSize}; ` +
      `servers behind it run with JOBBENCH_PREPARE=off, JOBBENCH_PIPELINE=off, JOBBENCH_MIGRATE=off`,
  );
  try {
    return await fn({
      connect: (target) => (target.via === 'pgbouncer' ? pgbouncer.connection() : direct),
      pgbouncer,
      database,
    });
  } finally {
    await pgbouncer.stop();
  }
}

/** --via as a list: "direct", "pgbouncer" or "direct,pgbouncer" (both, interleaved, compared within the run). */
export function parseVias(raw: string | undefined, valid: readonly Via[]): Via[] | string {
  const items = [
    ...new Set(
      (raw ?? 'direct')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const bad = items.find((v) => !(valid as readonly string[]).includes(v));
  if (items.length === 0 || bad !== undefined)
    return `--via must be ${valid.join(', ')} or both (comma-separated), got "${raw}"`;
  return items as Via[];
}
