import pg from 'pg';
import { samplePeriodically } from '../periodic.ts';

/** One row of SHOW POOLS for a database, as numbers. */
export interface PoolRow {
  clActive: number; // clients linked to a server connection or idle between transactions
  clWaiting: number; // clients waiting for a server connection
  svActive: number; // server connections running a client's transaction
  svIdle: number;
  svUsed: number;
  maxWaitMs: number; // how long the oldest waiting client has waited
}

export interface PoolWindow {
  clWaitingMax: number;
  svActiveMax: number;
  svTotalMax: number; // active + idle + used: server connections PgBouncer holds to PostgreSQL
  maxWaitMsMax: number;
  samples: number;
}

const SAMPLE_INTERVAL_MS = 250;

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
 * Samples PgBouncer's SHOW POOLS for `database` every 250 ms through the admin console (simple query
 * protocol only: pg sends a query without parameters as a simple query).
 */
export async function startPoolSampler(adminUrl: string, database: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const window: PoolWindow = { clWaitingMax: 0, svActiveMax: 0, svTotalMax: 0, maxWaitMsMax: 0, samples: 0 };
  const sampling = await samplePeriodically(SAMPLE_INTERVAL_MS, async () => {
    const { rows } = await admin.query('SHOW POOLS');
    const row = rows.find((r: Record<string, unknown>) => r.database === database);
    if (!row) return;
    const p = toRow(row);
    window.clWaitingMax = Math.max(window.clWaitingMax, p.clWaiting);
    window.svActiveMax = Math.max(window.svActiveMax, p.svActive);
    window.svTotalMax = Math.max(window.svTotalMax, p.svActive + p.svIdle + p.svUsed);
    window.maxWaitMsMax = Math.max(window.maxWaitMsMax, p.maxWaitMs);
    window.samples++;
  });
  return {
    async stop(): Promise<PoolWindow> {
      await sampling.stop();
      await admin.end().catch(() => {});
      return window;
    },
  };
}
