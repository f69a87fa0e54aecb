/**
 * CPU of the server's process tree, of the PostgreSQL backends that serve it and of the whole machine
 * over one measured window (the generator's CPU comes from its runner). Backends are the pids that
 * pg_stat_activity lists for the target's application_name, at the start and at the end of the window;
 * their CPU is read from /proc, which works only when PostgreSQL runs on this machine, in this pid
 * namespace: otherwise dbCpuUs is null with the reason.
 */
import pg from 'pg';
import { commOf, cpuDeltaUs, cpuOfPids, machineBusyUs, treeCpu } from './proc.ts';

export interface CpuWindowReading {
  wallS: number;
  serverCpuUs: number;
  dbCpuUs: number | null;
  dbNote?: string;
  machineBusyUs: number;
}

async function backendPids(db: pg.Client, applicationName: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
    [applicationName],
  );
  return rows.map((r) => r.pid);
}

/** Why the backends' CPU cannot be read here, or undefined when it can (every pid is a local postgres). */
export function backendsNotLocal(
  pids: readonly number[],
  comm: (pid: number) => string | undefined = commOf,
): string | undefined {
  if (pids.length === 0) return 'no backend with the target application_name in pg_stat_activity';
  const foreign = pids.filter((pid) => comm(pid) !== 'postgres');
  if (foreign.length === 0) return undefined;
  return `PostgreSQL is not on this machine (or in another pid namespace): backend pid ${foreign[0]} is not a local postgres process`;
}

export async function startCpuWindow(opts: { serverPid: number; databaseUrl: string; applicationName: string }) {
  const db = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'jobbench:sampler-cpu' });
  // A database restart inside the window (--fault) drops this connection: that must not kill the harness.
  db.on('error', () => {});
  await db.connect();
  try {
    const startPids = await backendPids(db, opts.applicationName);
    const t0 = performance.now();
    const machine0 = machineBusyUs();
    const server0 = treeCpu(opts.serverPid);
    const db0 = cpuOfPids(startPids);
    return {
      async stop(): Promise<CpuWindowReading> {
        try {
          const server1 = treeCpu(opts.serverPid);
          const machine1 = machineBusyUs();
          const wallS = (performance.now() - t0) / 1000;
          const endPids = await backendPids(db, opts.applicationName).catch(() => startPids); // lost: keep the first
          const pids = [...new Set([...startPids, ...endPids])];
          const note = backendsNotLocal(pids);
          const reading: CpuWindowReading = {
            wallS,
            serverCpuUs: cpuDeltaUs(server0, server1),
            dbCpuUs: note === undefined ? cpuDeltaUs(db0, cpuOfPids(pids)) : null,
            machineBusyUs: machine1 - machine0,
          };
          if (note !== undefined) reading.dbNote = note;
          return reading;
        } finally {
          await db.end().catch(() => {});
        }
      },
    };
  } catch (err) {
    await db.end();
    throw err;
  }
}
