import { readFileSync } from 'node:fs';
import pg from 'pg';
import { samplePeriodically } from './periodic.ts';
import { HARNESS_APPLICATION_NAMES, type EvidencePlan } from './targets/kinds.ts';
import { processTreePids } from './targets/process-tree.ts';

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

/** Threads of a process, from /proc/<pid>/status. */
export function processThreads(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const n = /Threads:\s+(\d+)/.exec(status);
  return n ? Number(n[1]) : 0;
}

export interface ServerSample {
  cpuUs: number | null; // server CPU over the window; null: no process evidence (external target)
  peakRssBytes: number | null; // summed over the process tree when the target has one
  eventLoopMaxDelayMs: number | null; // null: the target has no /internal/process (FastAPI, external)
  poolWaitingMax: number | null;
  dbBackendsMax: number;
  processesMax: number | null; // processes of the target (1 for jobbench serve, supervisor + workers for uvicorn)
  threadsMax: number | null; // threads summed over those processes
  /** Why part of the window went unsampled (the server died, the sampler lost PostgreSQL); absent when nothing was lost. */
  lost?: string[];
}

/** Reads every pid of the target, skipping one that exited between listing and reading. */
function perPid<T>(pids: readonly number[], read: (pid: number) => T): Map<number, T> {
  const out = new Map<number, T>();
  for (const pid of pids) {
    try {
      out.set(pid, read(pid));
    } catch {
      // exited
    }
  }
  return out;
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

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
  /** Where the evidence comes from (bench/targets/kinds.ts); absent: a Node target (one pid, /internal/process). */
  evidence?: EvidencePlan;
}) {
  const evidence: EvidencePlan = opts.evidence ?? {
    process: { tree: false },
    backends: { applicationName: opts.applicationName },
    eventLoop: true,
  };
  const proc = 'tree' in evidence.process ? evidence.process : null;
  const pids = () => (proc === null ? [] : proc.tree ? processTreePids(opts.pid) : [opts.pid]);
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
  if (proc !== null && cpuUsIfAlive(opts.pid) === null) {
    await db.end().catch(() => {});
    throw new Error(`server process ${opts.pid} is gone before the window`);
  }
  if (evidence.eventLoop) await internalProcess(opts.baseUrl, true);
  // CPU per pid at its first and last sight, so that a worker that starts or exits mid-window still counts.
  const cpuFirst = perPid(pids(), processCpuUs);
  const cpuLast = new Map(cpuFirst);
  let lastRssBytes = sum(perPid(pids(), processRssBytes));
  let peakRssBytes = lastRssBytes;
  let processesMax = cpuFirst.size;
  let threadsMax = sum(perPid(pids(), processThreads));
  let poolWaitingMax: number | null = null;
  let dbBackendsMax = 0;
  const backendsQuery =
    'applicationName' in evidence.backends
      ? {
          text: 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
          values: [evidence.backends.applicationName],
        }
      : {
          text: "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND NOT (application_name = ANY($1))",
          values: [[...HARNESS_APPLICATION_NAMES]],
        };
  const sampleProcesses = () => {
    const now = pids();
    for (const [pid, cpu] of perPid(now, processCpuUs)) {
      if (!cpuFirst.has(pid)) cpuFirst.set(pid, 0); // born during the window: all its CPU is the window's
      cpuLast.set(pid, cpu);
    }
    lastRssBytes = sum(perPid(now, processRssBytes));
    peakRssBytes = Math.max(peakRssBytes, lastRssBytes);
    processesMax = Math.max(processesMax, now.length);
    threadsMax = Math.max(threadsMax, sum(perPid(now, processThreads)));
  };
  const sampling = await samplePeriodically(SAMPLE_INTERVAL_MS, async () => {
    sampleProcesses();
    if (proc !== null && cpuUsIfAlive(opts.pid) === null) lost.add(`server process ${opts.pid} is gone`);
    try {
      db ??= await connect();
      const { rows } = await db.query<{ n: number }>(backendsQuery.text, backendsQuery.values);
      dbBackendsMax = Math.max(dbBackendsMax, rows[0]!.n);
    } catch (err) {
      lost.add(`sampler lost PostgreSQL: ${(err as Error).message}`);
      const dead = db;
      db = undefined;
      await dead?.end().catch(() => {});
    }
    const inside = evidence.eventLoop ? await internalProcess(opts.baseUrl, false) : null;
    if (inside?.poolStats) poolWaitingMax = Math.max(poolWaitingMax ?? 0, inside.poolStats.waiting);
  });
  return {
    /** The server's RSS (its process tree) at the last sample; null without process evidence. */
    lastRssBytes: (): number | null => (proc === null ? null : lastRssBytes),
    async stop(): Promise<ServerSample> {
      sampleProcesses(); // a dead server's CPU counts up to its last sample (perPid skips a gone pid)
      let cpuUs = 0;
      for (const [pid, last] of cpuLast) cpuUs += last - cpuFirst.get(pid)!;
      await sampling.stop();
      const inside = evidence.eventLoop ? await internalProcess(opts.baseUrl, false) : null;
      const last = db;
      db = undefined;
      await last?.end().catch(() => {});
      return {
        cpuUs: proc === null ? null : cpuUs,
        peakRssBytes: proc === null ? null : peakRssBytes,
        eventLoopMaxDelayMs: evidence.eventLoop ? (inside?.eventLoop.maxDelayMs ?? 0) : null,
        poolWaitingMax,
        dbBackendsMax,
        processesMax: proc === null ? null : processesMax,
        threadsMax: proc === null ? null : threadsMax,
        ...(lost.size > 0 ? { lost: [...lost] } : {}),
      };
    },
  };
}
