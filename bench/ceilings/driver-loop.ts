/**
 * The DB ceiling as a raw driver loop: `clients` loops over one pg Pool of that size, each sending the
 * scenario's next statement (bench/ceilings/scenario-statements.ts: the catalog's weighted mix and
 * parameters, the adapters' SQL) as an unnamed statement (planned per execution with its values, as
 * pg-pool sends it: a named one gets PostgreSQL's generic plan after five runs, and search's generic
 * plan served 26–30% fewer statements/s on PostgreSQL 15), back to back, for the window. No HTTP,
 * no JSON, no framework: the driver and the database alone. It runs in the harness process, which does
 * nothing else meanwhile, and warms up for 1 s first (not counted). Rows a scenario inserts (create,
 * mixed) are removed afterwards.
 */
import pg from 'pg';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { scenarioWrites } from '../../scenarios/catalog.ts';
import { createRng } from '../../shared/prng.ts';
import { restoreSeededJobs } from '../../src/db/seed.ts';
import type { DbCeiling } from '../results/ceilings.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';
import { driverLoopScript, nextStatement } from './scenario-statements.ts';

const CLIENT_BOUND_PERCENT = 90; // of one core: the loop runs on one event loop
const WARMUP_S = 1; // at most; a third of the window when shorter

export async function measureDriverLoop(opts: {
  databaseUrl: string;
  clients: number;
  durationS: number;
  jobCount: number;
  scenario?: ScenarioName; // default get-job
  seed?: number;
  signal?: AbortSignal;
}): Promise<DbCeiling> {
  const scenario = opts.scenario ?? 'get-job';
  const seed = opts.seed ?? 1;
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.clients,
    application_name: HARNESS_CONNECTIONS.ceiling,
  });
  const rng = createRng(seed); // one generator for every loop: JavaScript runs one loop at a time
  const data = { jobCount: opts.jobCount };
  const calls: Record<string, number> = {};
  const warmupCalls: Record<string, number> = {};
  const texts = new Set<string>();
  try {
    // Connect every client first: connection set-up is not part of the ceiling (pgbench leaves it out too).
    const clients = await Promise.all(Array.from({ length: opts.clients }, () => pool.connect()));
    clients.forEach((c) => c.release());
    let transactions = 0;
    let latencySumUs = 0;
    const drive = async (endNs: bigint, counted: boolean): Promise<void> => {
      while (process.hrtime.bigint() < endNs && !opts.signal?.aborted) {
        const s = nextStatement(scenario, rng, data);
        const t0 = process.hrtime.bigint();
        await pool.query({ text: s.text, values: s.values }); // unnamed: a custom plan for these values
        if (!counted) {
          warmupCalls[s.request] = (warmupCalls[s.request] ?? 0) + 1;
          continue;
        }
        latencySumUs += Number(process.hrtime.bigint() - t0) / 1000;
        transactions++;
        calls[s.request] = (calls[s.request] ?? 0) + 1;
        texts.add(s.text);
      }
    };
    // Warm up, then measure (DESIGN rule 2): connections, caches and the first reads' hint bits are not
    // PostgreSQL's steady rate.
    const warmupNs = BigInt(Math.round(Math.min(WARMUP_S, opts.durationS / 3) * 1e9));
    const warmEnd = process.hrtime.bigint() + warmupNs;
    await Promise.all(Array.from({ length: opts.clients }, () => drive(warmEnd, false)));
    const cpu0 = process.cpuUsage();
    const startedNs = process.hrtime.bigint();
    const endNs = startedNs + BigInt(Math.round(opts.durationS * 1e9));
    await Promise.all(Array.from({ length: opts.clients }, () => drive(endNs, true)));
    const durationS = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const clientCpuPercent = ((cpu.user + cpu.system) / (durationS * 1e6)) * 100;
    return {
      scenario,
      method: 'driver-loop',
      protocol: 'extended',
      script: driverLoopScript(scenario, seed),
      calls,
      warmupCalls,
      distinctStatements: texts.size,
      clientCpuPercent,
      boundBy: clientCpuPercent >= CLIENT_BOUND_PERCENT ? 'client' : 'database',
      clients: opts.clients,
      durationS,
      transactions,
      transactionsPerSec: transactions / durationS,
      latencyAvgUs: transactions > 0 ? latencySumUs / transactions : 0,
    };
  } finally {
    await pool.end();
    if (scenarioWrites(scenario)) await restoreSeededJobs(opts.databaseUrl, opts.jobCount);
  }
}
