/**
 * The DB ceiling of one scenario at one concurrency: pgbench when installed (PATH or PGBENCH_BIN) and
 * its `\set` can make the scenario's parameters (get-job, stats), else the pg driver loop (search,
 * create, mixed: the catalog's own parameter generator).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withClient } from '../db/client.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { measureDriverLoop } from './driver-loop.ts';
import { parsePgbenchOutput, pgbenchArgs, pgbenchScript, runPgbench } from './pgbench.ts';
import type { DbCeiling, DbCeilingMethod } from '../results/ceilings.ts';
import { findBinary } from '../host/which.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

export function findPgbench(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findBinary('pgbench', env.PGBENCH_BIN, env.PATH);
}

export async function measureDbCeiling(opts: {
  databaseUrl: string; // a database seeded with jobCount jobs
  clients: number;
  durationS: number;
  jobCount: number;
  scenario?: ScenarioName; // default get-job
  method?: DbCeilingMethod; // default: pgbench when found and it can express the scenario
  pgbenchBin?: string;
  signal?: AbortSignal;
  /** --cpus: reads the client's CPU set (pgbench's pid, or the harness's for the driver loop) and the DB's. */
  readAffinity?: (clientPid: number) => DbCeiling['affinity'];
}): Promise<DbCeiling> {
  // More clients than the server accepts would fail the whole ceiling ("too many clients already").
  const free = await freeConnections(opts.databaseUrl);
  if (free === null || opts.clients <= free) return measureAt(opts);
  return { ...(await measureAt({ ...opts, clients: free })), requestedClients: opts.clients };
}

async function measureAt(opts: Parameters<typeof measureDbCeiling>[0]): Promise<DbCeiling> {
  const bin = opts.pgbenchBin ?? findPgbench();
  const scenario = opts.scenario ?? 'get-job';
  const script = pgbenchScript(scenario);
  if ((opts.method ?? (bin && script ? 'pgbench' : 'driver-loop')) === 'driver-loop') {
    const loop = await measureDriverLoop(opts);
    return opts.readAffinity ? { ...loop, affinity: opts.readAffinity(process.pid)! } : loop;
  }
  if (!bin) throw new Error('pgbench not found (set PGBENCH_BIN or install postgresql-client)');
  if (!script) throw new Error(`pgbench cannot make ${scenario}'s parameters (its \\set makes numbers only)`);
  const dir = await mkdtemp(join(tmpdir(), 'jobbench-pgbench-'));
  try {
    const scriptPath = join(dir, `${scenario}.sql`);
    await writeFile(scriptPath, script);
    const url = new URL(opts.databaseUrl);
    url.searchParams.set('application_name', HARNESS_CONNECTIONS.ceiling);
    // The password goes through PGPASSWORD, never on the command line (/proc/<pid>/cmdline is world-readable).
    const password = decodeURIComponent(url.password);
    url.password = '';
    const durationS = Math.max(1, Math.round(opts.durationS)); // pgbench --time takes whole seconds
    const threads = availableParallelism();
    const args = pgbenchArgs({ ...opts, durationS, scriptPath, threads, databaseUrl: url.toString() });
    // pgbench inherits the harness's CPU set at fork (the generator's under --cpus): read back while it runs.
    let affinity: DbCeiling['affinity'];
    const onSpawn = opts.readAffinity ? (pid: number) => void (affinity = opts.readAffinity!(pid)) : undefined;
    const stdout = await runPgbench(bin, args, opts.signal, password, onSpawn);
    const ceiling = parsePgbenchOutput(stdout, opts.clients, durationS, scenario);
    return affinity ? { ...ceiling, affinity } : ceiling;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const CONNECTIONS_LEFT_FREE = 5; // for the run's own sampler, a superuser's psql, the API's next start

/**
 * Client connections the server would still accept: max_connections − superuser_reserved_connections
 * − client backends now, less a margin; null when it cannot be read (then the ceiling tries as asked).
 */
export async function freeConnections(databaseUrl: string): Promise<number | null> {
  return withClient(databaseUrl, { applicationName: HARNESS_CONNECTIONS.ceiling }, async (client) => {
    const { rows } = await client.query<{ free: number }>(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
              - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS free`,
    );
    return Math.max(1, rows[0]!.free - CONNECTIONS_LEFT_FREE);
  }).catch(() => null);
}
