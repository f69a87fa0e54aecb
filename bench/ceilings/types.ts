/**
 * What this machine can do, measured once per run (DESIGN.md "How we measure" 9): a cell read as a
 * fraction of these travels between machines better than its absolute numbers. Units are in the names.
 */
import type { Tool } from '../results/types.ts';

/** A bare node:http server answering /health's JSON, loaded with the run's tool and connections. */
export interface HttpCeiling {
  tool: Tool;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  latencyP50Us: number;
  latencyP99Us: number;
  generatorCpuPercent: number; // of one core: ≥ 90 means the ceiling is the generator's, not the server's
  /** --cpus: the bare server's and the generator's CPU sets, read back from /proc/<pid>/status. */
  affinity?: { server: string; generator: string };
}

export const DB_CEILING_METHODS = ['pgbench', 'driver-loop'] as const;
export type DbCeilingMethod = (typeof DB_CEILING_METHODS)[number];

/** get-job's query (the jobs primary-key lookup, same SQL) at the run's concurrency, without HTTP. */
export interface DbCeiling {
  method: DbCeilingMethod; // pgbench when installed, else a pg Pool loop in the harness
  protocol: 'prepared'; // parsed once per connection: the upper bound of any driver
  clients: number;
  /** The run's concurrency when more than the database would accept: `clients` was capped (max_connections). */
  requestedClients?: number;
  durationS: number;
  transactions: number;
  transactionsPerSec: number;
  latencyAvgUs: number;
  /** --cpus: pgbench's (or the driver loop's, the harness's) CPU set and the postmaster's, read back from /proc. */
  affinity?: { client: string; db: string | null };
}

/** Small probes of the machine itself, seconds in all. */
export interface MachineFingerprint {
  loopbackRoundTripUs: number; // median 1-byte TCP ping-pong over 127.0.0.1 (Node on both ends)
  syscallNs: number; // one read or write of 1 byte (dd bs=1), or fstat through Node when dd is absent
  syscallProbe: 'dd' | 'fstat';
  singleCoreOpsPerSec: number; // PRNG steps per second of one fixed JS loop on one core
}

export interface Ceilings {
  measuredAt: string; // ISO 8601
  http: HttpCeiling | null; // null when skipped or failed; see `notes`. Several tools: the first tool's
  /** Several tools (--tool autocannon,wrk): one HTTP ceiling per tool, the first being `http`. */
  httpByTool?: HttpCeiling[];
  db: DbCeiling | null;
  fingerprint: MachineFingerprint;
  notes: string[]; // why a ceiling is missing, or what limits it
}
