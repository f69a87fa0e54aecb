/**
 * The results file (`results/<run-id>/results.json`): the one record of a run that every report,
 * comparison and CI gate reads. Every persisted type is a TypeBox schema here or in a file beside this
 * one (round.ts, cell.ts, cpu.ts, memory.ts, faults.ts, ceilings.ts), and its TypeScript type is the
 * schema's Static; schema.ts turns them into the JSON Schema that io.ts validates against and
 * `npm run schema` writes to schema.json. Bump SCHEMA_VERSION on any breaking change.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CeilingsSchema } from './ceilings.ts';
import { CellSchema } from './cell.ts';
import { anyObject, count, isoTime, nonEmpty, nonNegative, nullable, oneOf, positiveInt, record } from './schema-kit.ts';
import { RESULT_KINDS, RUN_STATUSES, TOOLS } from './sets.ts';

export * from './sets.ts';
export { CellSchema, CellSummarySchema, EstimateSchema, type Cell, type CellSummary, type Estimate } from './cell.ts';
export { LatencyUsSchema, RoundSchema, type LatencyUs, type Round } from './round.ts';

export const SCHEMA_VERSION = 1 as const;

/**
 * A window that could not be measured (the server died, the database went away, the load tool failed):
 * kept out of the cells' rounds, listed here with its reason; the run went on to the next window.
 */
export const FailedWindowSchema = Type.Object({
  adapter: nonEmpty,
  scenario: nonEmpty,
  connections: positiveInt,
  poolMax: positiveInt,
  round: positiveInt,
  reason: nonEmpty,
  tool: Type.Optional(oneOf(TOOLS)), // runs with several tools (--tool autocannon,wrk): the window's tool
  fault: Type.Optional(Type.String()),
  label: Type.Optional(Type.String()),
});
export type FailedWindow = Static<typeof FailedWindowSchema>;

export const EnvironmentSchema = Type.Object({
  cpuModel: Type.String(),
  cpus: positiveInt,
  memoryBytes: nonNegative,
  os: Type.String(),
  node: Type.String(),
  postgres: Type.String(), // server version as reported by the server
  drivers: record(Type.String()), // npm package -> installed version
  gitCommit: nullable(Type.String()), // null outside a git checkout
});
export type Environment = Static<typeof EnvironmentSchema>;

/** How far a partial (running or aborted) run got; every kind counts measured and failed windows alike. */
export const RunProgressSchema = Type.Object(
  {
    windowsDone: count, // measured rounds of every cell + failed windows
    windowsPlanned: nullable(count), // null: not known in advance (capacity searches stop when they converge)
    stage: Type.Optional(Type.String()), // where the run was, in words ("adr phase 2/3: latency at a fixed rate")
  },
  {
    additionalProperties: false,
    description:
      'A running or aborted run: how far it got (windows measured or failed, of how many; null when not known in advance). Absent when complete.',
  },
);
export type RunProgress = Static<typeof RunProgressSchema>;

export const ResultsSchema = Type.Object({
  schemaVersion: Type.Literal(SCHEMA_VERSION),
  runId: nonEmpty,
  status: oneOf(RUN_STATUSES),
  startedAt: isoTime,
  finishedAt: isoTime, // for an aborted run, when it stopped
  command: Type.Array(Type.String()), // argv, secrets redacted
  config: anyObject, // the resolved options of the run (secrets redacted)
  environment: EnvironmentSchema,
  cells: Type.Array(CellSchema),
  kind: Type.Optional(oneOf(RESULT_KINDS)),
  /** Command-specific analysis, one key per kind (sweep, capacity, adr): its shape is the kind's (bench/kinds/<kind>/analyze.ts). */
  extra: Type.Optional(anyObject),
  ceilings: Type.Optional(CeilingsSchema), // the machine's own HTTP and DB ceilings and fingerprint (bench/ceilings/)
  failedWindows: Type.Optional(Type.Array(FailedWindowSchema)), // windows that failed (fault, crash, dead server), each with its reason
  progress: Type.Optional(RunProgressSchema), // a running or aborted run: how far it got (absent when complete)
});
export type Results = Static<typeof ResultsSchema>;
