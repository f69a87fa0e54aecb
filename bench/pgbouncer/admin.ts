import type pg from 'pg';

/** One row of SHOW POOLS for a database, as numbers. */
export interface PoolRow {
  clActive: number; // clients linked to a server connection or idle between transactions
  clWaiting: number; // clients waiting for a server connection
  svActive: number; // server connections running a client's transaction
  svIdle: number;
  svUsed: number;
  maxWaitMs: number; // how long the oldest waiting client has waited
}

/** The largest of each gauge over a window's samples (bench/window/probes/pgbouncer-pools.ts). */
export interface PoolWindow {
  clWaitingMax: number;
  svActiveMax: number;
  svTotalMax: number; // active + idle + used: server connections PgBouncer holds to PostgreSQL
  maxWaitMsMax: number;
  samples: number;
}

function toRow(r: Record<string, unknown>): PoolRow {
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    clActive: n('cl_active'),
    clWaiting: n('cl_waiting'),
    svActive: n('sv_active'),
    svIdle: n('sv_idle'),
    svUsed: n('sv_used'),
    maxWaitMs: n('maxwait') * 1000 + n('maxwait_us') / 1000,
  };
}

/**
 * SHOW POOLS for `database` through PgBouncer's admin console (simple query protocol only: pg sends a
 * query without parameters as a simple query); null when PgBouncer has no pool for it yet.
 */
export async function showPools(admin: pg.Client, database: string): Promise<PoolRow | null> {
  const { rows } = await admin.query('SHOW POOLS');
  const row = rows.find((r: Record<string, unknown>) => r.database === database);
  return row ? toRow(row) : null;
}

export function emptyPoolWindow(): PoolWindow {
  return { clWaitingMax: 0, svActiveMax: 0, svTotalMax: 0, maxWaitMsMax: 0, samples: 0 };
}

/** Folds one sample into the window's maxima. */
export function addPoolSample(window: PoolWindow, p: PoolRow): void {
  window.clWaitingMax = Math.max(window.clWaitingMax, p.clWaiting);
  window.svActiveMax = Math.max(window.svActiveMax, p.svActive);
  window.svTotalMax = Math.max(window.svTotalMax, p.svActive + p.svIdle + p.svUsed);
  window.maxWaitMsMax = Math.max(window.maxWaitMsMax, p.maxWaitMs);
  window.samples++;
}
