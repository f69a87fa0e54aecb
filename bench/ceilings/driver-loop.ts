/**
 * The DB ceiling without pgbench: `clients` loops over one pg Pool of that size, each sending get-job's
 * query as a named (prepared) statement on random seeded ids, back to back, for the window. No HTTP,
 * no JSON, no framework: the driver and the database alone. It runs in the harness process, which does
 * nothing else meanwhile.
 */
import pg from 'pg';
import { GET_JOB } from '../../src/adapters/sql.ts';
import { createRng } from '../../shared/prng.ts';
import type { DbCeiling } from '../results/ceilings.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

export async function measureDriverLoop(opts: {
  databaseUrl: string;
  clients: number;
  durationS: number;
  jobCount: number;
  seed?: number;
  signal?: AbortSignal;
}): Promise<DbCeiling> {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.clients,
    application_name: HARNESS_CONNECTIONS.ceiling,
  });
  const rng = createRng(opts.seed ?? 1);
  try {
    // Connect every client first: connection set-up is not part of the ceiling (pgbench leaves it out too).
    const clients = await Promise.all(Array.from({ length: opts.clients }, () => pool.connect()));
    clients.forEach((c) => c.release());
    let transactions = 0;
    let latencySumUs = 0;
    const startedNs = process.hrtime.bigint();
    const endNs = startedNs + BigInt(Math.round(opts.durationS * 1e9));
    const loop = async (): Promise<void> => {
      while (process.hrtime.bigint() < endNs && !opts.signal?.aborted) {
        const t0 = process.hrtime.bigint();
        await pool.query({ name: 'jobbench-ceiling-get-job', text: GET_JOB, values: [rng.int(1, opts.jobCount)] });
        latencySumUs += Number(process.hrtime.bigint() - t0) / 1000;
        transactions++;
      }
    };
    await Promise.all(Array.from({ length: opts.clients }, loop));
    const durationS = Number(process.hrtime.bigint() - startedNs) / 1e9;
    return {
      method: 'driver-loop',
      protocol: 'prepared',
      clients: opts.clients,
      durationS,
      transactions,
      transactionsPerSec: transactions / durationS,
      latencyAvgUs: transactions > 0 ? latencySumUs / transactions : 0,
    };
  } finally {
    await pool.end();
  }
}
