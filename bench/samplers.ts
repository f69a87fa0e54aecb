import { readFileSync } from 'node:fs';
import pg from 'pg';
import { samplePeriodically } from './periodic.ts';

const SAMPLE_INTERVAL_MS = 250;
const SAMPLE_CONNECT_TIMEOUT_MS = 1_000; // a sample that cannot connect within 1 s is lost, not waited for
const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ, the unit of utime/stime in /proc/<pid>/stat

/** CPU time of a process that may have died (ENOENT once it is gone): null then. */
function cpuUsIfAlive(pid: number): number | null {
  try {
    return processCpuUs(pid);
  } catch {
    return null;
  }
}

/** CPU time (user + system) of a process in µs, from /proc; 10 ms resolution. */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLOCK_TICKS_PER_S;
}

/** Resident set size of a process in bytes, from /proc. */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

interface InternalProcess {
  eventLoop: { maxDelayMs: number };
  poolStats: { total: number; idle: number; waiting: number } | null;
}

async function internalProcess(baseUrl: string, reset: boolean): Promise<InternalProcess | null> {
  try {
    const res = await fetch(`${baseUrl}/internal/process${reset ? '?reset=1' : ''}`, {
      signal: AbortSignal.timeout(2_000),
    });
    return res.ok ? ((await res.json()) as InternalProcess) : null;
  } catch {
    return null;
  }
}

export interface ServerSample {
  cpuUs: number; // server CPU over the window
  peakRssBytes: number;
  eventLoopMaxDelayMs: number;
  poolWaitingMax: number | null;
  dbBackendsMax: number;
  /** Why part of the window went unsampled (the server died, the sampler lost PostgreSQL); absent when nothing was lost. */
  lost?: string[];
}

/**
 * Samples the server under test during one measured window: CPU from /proc at both ends, RSS and
 * pool gauges every 250 ms, backends with its application_name in pg_stat_activity every 250 ms
 * (from the runner's own connection, so the server is not asked to count itself), and the event
 * loop's max delay from the server's /internal/process (reset at the start of the window).
 */
export async function startServerSampler(opts: {
  pid: number;
  baseUrl: string;
  databaseUrl: string;
  applicationName: string;
}) {
  // The sampler's own connection must survive a database restart or a dead server: every failure is
  // recorded as a loss and the next sample reconnects (an unhandled 'error' event would kill the harness).
  const lost = new Set<string>();
  let db: pg.Client | undefined;
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({
      connectionString: opts.databaseUrl,
      application_name: 'jobbench:sampler',
      connectionTimeoutMillis: SAMPLE_CONNECT_TIMEOUT_MS,
    });
    client.on('error', (err) => {
      lost.add(`sampler lost PostgreSQL: ${err.message}`);
      if (db === client) db = undefined;
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    return client;
  };
  db = await connect();
  await internalProcess(opts.baseUrl, true);
  let cpuStart: number;
  let peakRssBytes: number;
  try {
    cpuStart = processCpuUs(opts.pid);
    peakRssBytes = processRssBytes(opts.pid);
  } catch (err) {
    await db.end().catch(() => {});
    throw new Error(`server process ${opts.pid} is gone before the window: ${(err as Error).message}`);
  }
  let cpuLast = cpuStart;
  let poolWaitingMax: number | null = null;
  let dbBackendsMax = 0;
  const sampling = await samplePeriodically(SAMPLE_INTERVAL_MS, async () => {
    const cpu = cpuUsIfAlive(opts.pid);
    if (cpu === null) {
      lost.add(`server process ${opts.pid} is gone`);
    } else {
      cpuLast = cpu;
      peakRssBytes = Math.max(peakRssBytes, processRssBytes(opts.pid));
    }
    try {
      db ??= await connect();
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [opts.applicationName],
      );
      dbBackendsMax = Math.max(dbBackendsMax, rows[0]!.n);
    } catch (err) {
      lost.add(`sampler lost PostgreSQL: ${(err as Error).message}`);
      const dead = db;
      db = undefined;
      await dead?.end().catch(() => {});
    }
    const inside = await internalProcess(opts.baseUrl, false);
    if (inside?.poolStats) poolWaitingMax = Math.max(poolWaitingMax ?? 0, inside.poolStats.waiting);
  });
  return {
    async stop(): Promise<ServerSample> {
      // A dead server's CPU is counted up to its last sample (ENOENT after it died).
      const cpuUs = (cpuUsIfAlive(opts.pid) ?? cpuLast) - cpuStart;
      await sampling.stop();
      const inside = await internalProcess(opts.baseUrl, false);
      const last = db;
      db = undefined;
      await last?.end().catch(() => {});
      return {
        cpuUs,
        peakRssBytes,
        eventLoopMaxDelayMs: inside?.eventLoop.maxDelayMs ?? 0,
        poolWaitingMax,
        dbBackendsMax,
        ...(lost.size > 0 ? { lost: [...lost] } : {}),
      };
    },
  };
}
