/**
 * PgBouncer's pools over a window routed through it (the sweep's `--via pgbouncer`): SHOW POOLS every
 * SAMPLE_INTERVAL_MS on PgBouncer's admin console (its own connection: not the database's), the largest
 * waiting clients, server connections and wait. No request to the server; a PgBouncer that cannot be
 * reached leaves the window without pool figures rather than failing it.
 */
import pg from 'pg';
import { samplePeriodically } from '../../host/periodic.ts';
import { addPoolSample, emptyPoolWindow, showPools, type PoolWindow } from '../../pgbouncer/admin.ts';
import { SAMPLE_INTERVAL_MS, type Probe, type ProbeReport } from '../probe.ts';

export interface PgbouncerPoolsProbe extends Probe {
  /** The window's pool figures once stopped; undefined when PgBouncer could not be read. */
  reading(): PoolWindow | undefined;
}

export function pgbouncerPoolsProbe(adminUrl: string, database: string): PgbouncerPoolsProbe {
  let admin: pg.Client | undefined;
  let sampling: { stop(): Promise<void> } | undefined;
  const window = emptyPoolWindow();
  return {
    name: 'pgbouncer-pools',
    async start() {
      const client = new pg.Client({ connectionString: adminUrl });
      client.on('error', () => {}); // PgBouncer gone mid-window: the samples stop, the window goes on
      try {
        await client.connect();
      } catch {
        await client.end().catch(() => {});
        return;
      }
      admin = client;
      sampling = await samplePeriodically(SAMPLE_INTERVAL_MS, async () => {
        const row = await showPools(client, database);
        if (row) addPoolSample(window, row);
      });
    },
    async stop(): Promise<ProbeReport> {
      await sampling?.stop();
      await admin?.end().catch(() => {});
      return {};
    },
    reading: () => (admin ? window : undefined),
  };
}
