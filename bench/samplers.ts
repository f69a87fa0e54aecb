import { readFileSync } from 'node:fs';
import pg from 'pg';
import { samplePeriodically } from './periodic.ts';
import { processTreeCpuUs, processTreeRssBytes } from './process-tree-sampler.ts';

const SAMPLE_INTERVAL_MS = 250;
const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ, the unit of utime/stime in /proc/<pid>/stat

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
  const db = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'jobbench:sampler' });
  await db.connect();
  await internalProcess(opts.baseUrl, true);
  const cpuStart = processTreeCpuUs(opts.pid); // the whole tree: serve --workers N forks
  let peakRssBytes = processTreeRssBytes(opts.pid);
  let poolWaitingMax: number | null = null;
  let dbBackendsMax = 0;
  const sampling = await samplePeriodically(SAMPLE_INTERVAL_MS, async () => {
    peakRssBytes = Math.max(peakRssBytes, processTreeRssBytes(opts.pid));
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [opts.applicationName],
    );
    dbBackendsMax = Math.max(dbBackendsMax, rows[0]!.n);
    const inside = await internalProcess(opts.baseUrl, false);
    if (inside?.poolStats) poolWaitingMax = Math.max(poolWaitingMax ?? 0, inside.poolStats.waiting);
  });
  return {
    async stop(): Promise<ServerSample> {
      const cpuUs = processTreeCpuUs(opts.pid) - cpuStart;
      await sampling.stop();
      const inside = await internalProcess(opts.baseUrl, false);
      await db.end();
      return {
        cpuUs,
        peakRssBytes,
        eventLoopMaxDelayMs: inside?.eventLoop.maxDelayMs ?? 0,
        poolWaitingMax,
        dbBackendsMax,
      };
    },
  };
}
