/**
 * What this machine can do, measured once per run (DESIGN.md "How we measure" 9): a cell read as a
 * fraction of these travels between machines better than its absolute numbers. Units are in the names.
 * `results.ceilings`; measured by bench/ceilings/.
 */
import { Type, type Static } from '@sinclair/typebox';
import { count, isoTime, nonNegative, nullable, oneOf, positiveInt, record } from './schema-kit.ts';
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
    /** The bare server's own CPU over the window, % of one core (its process, from /proc); absent: older files. */
    serverCpuPercent: Type.Optional(nonNegative),
    /**
     * What bounded it: `server` (the bare server at ≥ 90% of its core: a ceiling) or `generator` (it was
     * not: the ceiling is a floor, the true one is at least this, and every fraction of it an upper bound).
     * Absent: older files, read as `generator` when generatorCpuPercent ≥ 90.
     */
    boundBy: Type.Optional(oneOf(['server', 'generator'])),
    /** Why it is a floor, in words (generator CPU, server CPU, the generators tried). */
    floorReason: Type.Optional(Type.String()),
    /** autocannon worker processes when more than one was needed to load the bare server. */
    workers: Type.Optional(positiveInt),
    /** --cpus: the bare server's and the generator's CPU sets, read back from /proc/<pid>/status. */
    affinity: Type.Optional(Type.Object({ server: Type.String(), generator: Type.String() })),
  },
  { description: "a bare node:http server at the run's tool and connections" },
);
export type HttpCeiling = Static<typeof HttpCeilingSchema>;

export const DB_CEILING_METHODS = ['pgbench', 'driver-loop'] as const;
export type DbCeilingMethod = (typeof DB_CEILING_METHODS)[number];

/**
 * PostgreSQL alone running one scenario's statements (the adapters' SQL, the catalog's mix and parameters,
 * prepared) at a cell's database concurrency (min(connections, pool max)), without HTTP. Absent `scenario`: get-job's query (older files).
 */
export const DbCeilingSchema = Type.Object({
  scenario: Type.Optional(Type.String()),
  method: oneOf(DB_CEILING_METHODS), // pgbench when installed, else a pg Pool loop in the harness
  /**
   * `prepared` (pgbench -M prepared: parsed and planned once per connection, the cheapest for a point
   * lookup); `extended` (the driver loop: unnamed statements, planned per execution with their parameters,
   * as pg-pool sends them: on PostgreSQL 15, 1.35× the prepared rate for search, whose generic plan is worse).
   */
  protocol: Type.Union([Type.Literal('prepared'), Type.Literal('extended')]),
  /** pgbench's script, or where the driver loop's statements come from. */
  script: Type.Optional(Type.String()),
  /** Statements sent per request kind of the scenario (driver loop; pgbench: its transactions). */
  calls: Type.Optional(record(count)),
  /** The driver loop's warm-up (1 s, not counted in the ceiling): statements sent per request kind. */
  warmupCalls: Type.Optional(record(count)),
  /** Distinct statement texts sent (search: one per combination of filters). */
  distinctStatements: Type.Optional(count),
  /** The driver loop's own CPU (the harness process), % of one core over the window; absent for pgbench. */
  clientCpuPercent: Type.Optional(nonNegative),
  /**
   * `client`: the driver loop used ≥ 90% of a core, so the client, not PostgreSQL, may have been the
   * bottleneck: the ceiling is a floor and fractions of it are upper bounds. Absent: not judged (pgbench).
   */
  boundBy: Type.Optional(oneOf(['database', 'client'])),
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
    db: nullable(DbCeilingSchema), // get-job's (or the first scenario's) at the largest connections: older readers
    /** One per (scenario, database clients) of the run's database cells: what each cell is read against. */
    dbByScenario: Type.Optional(Type.Array(DbCeilingSchema)),
    /**
     * `pool`: `dbByScenario` was measured at each cell's database concurrency, min(connections, pool max):
     * the most statements the API's pool can have in flight (32 clients on 2 cores do less than 10).
     * Absent (older files): at the cell's HTTP connections.
     */
    dbClientsOf: Type.Optional(Type.Literal('pool')),
    fingerprint: MachineFingerprintSchema,
    notes: Type.Array(Type.String()), // why a ceiling is missing, or what limits it
  },
  { description: 'what this machine can do, measured once per run (bench/ceilings/)' },
);
export type Ceilings = Static<typeof CeilingsSchema>;
