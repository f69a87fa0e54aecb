/**
 * What this machine can do, measured once per run (DESIGN.md "How we measure" 9): a cell read as a
 * fraction of these travels between machines better than its absolute numbers. Units are in the names.
 * `results.ceilings`; measured by bench/ceilings/.
 */
import { Type, type Static } from '@sinclair/typebox';
import { count, isoTime, nonNegative, nullable, oneOf, positiveInt } from './schema-kit.ts';
import { TOOLS } from './sets.ts';

/** A bare node:http server answering /health's JSON, loaded with the run's tool and connections. */
export const HttpCeilingSchema = Type.Object(
  {
    tool: oneOf(TOOLS),
    connections: positiveInt,
    durationS: nonNegative,
    requests: count,
    requestsPerSec: nonNegative,
    latencyP50Us: nonNegative,
    latencyP99Us: nonNegative,
    generatorCpuPercent: nonNegative, // of one core: ≥ 90 means the ceiling is the generator's, not the server's
    /** --cpus: the bare server's and the generator's CPU sets, read back from /proc/<pid>/status. */
    affinity: Type.Optional(Type.Object({ server: Type.String(), generator: Type.String() })),
  },
  { description: "a bare node:http server at the run's tool and connections" },
);
export type HttpCeiling = Static<typeof HttpCeilingSchema>;

export const DB_CEILING_METHODS = ['pgbench', 'driver-loop'] as const;
export type DbCeilingMethod = (typeof DB_CEILING_METHODS)[number];

/** get-job's query (the jobs primary-key lookup, same SQL) at the run's concurrency, without HTTP. */
export const DbCeilingSchema = Type.Object({
  method: oneOf(DB_CEILING_METHODS), // pgbench when installed, else a pg Pool loop in the harness
  protocol: Type.Literal('prepared'), // parsed once per connection: the upper bound of any driver
  clients: positiveInt,
  /** The run's concurrency when more than the database would accept: `clients` was capped (max_connections). */
  requestedClients: Type.Optional(positiveInt),
  durationS: nonNegative,
  transactions: count,
  transactionsPerSec: nonNegative,
  latencyAvgUs: nonNegative,
  /** --cpus: pgbench's (or the driver loop's, the harness's) CPU set and the postmaster's, read back from /proc. */
  affinity: Type.Optional(Type.Object({ client: Type.String(), db: nullable(Type.String()) })),
});
export type DbCeiling = Static<typeof DbCeilingSchema>;

/** Small probes of the machine itself, seconds in all. */
export const MachineFingerprintSchema = Type.Object({
  loopbackRoundTripUs: nonNegative, // median 1-byte TCP ping-pong over 127.0.0.1 (Node on both ends)
  syscallNs: nonNegative, // one read or write of 1 byte (dd bs=1), or fstat through Node when dd is absent
  syscallProbe: oneOf(['dd', 'fstat']),
  singleCoreOpsPerSec: nonNegative, // PRNG steps per second of one fixed JS loop on one core
});
export type MachineFingerprint = Static<typeof MachineFingerprintSchema>;

export const CeilingsSchema = Type.Object(
  {
    measuredAt: isoTime,
    http: nullable(HttpCeilingSchema), // null when skipped or failed; see `notes`. Several tools: the first tool's
    /** Several tools (--tool autocannon,wrk): one HTTP ceiling per tool, the first being `http`. */
    httpByTool: Type.Optional(Type.Array(HttpCeilingSchema)),
    db: nullable(DbCeilingSchema),
    fingerprint: MachineFingerprintSchema,
    notes: Type.Array(Type.String()), // why a ceiling is missing, or what limits it
  },
  { description: 'what this machine can do, measured once per run (bench/ceilings/)' },
);
export type Ceilings = Static<typeof CeilingsSchema>;
