/** One (adapter, scenario, load shape) combination, measured over rounds: `results.cells[]`. */
import { Type, type Static } from '@sinclair/typebox';
import { LatencyUsSchema, RoundSchema } from './round.ts';
import { count, nonEmpty, nonNegative, nullable, numberPair, oneOf, positiveInt } from './schema-kit.ts';
import { CELL_TARGET_KINDS, METRICS_MODES, SIDES, TOOLS, VIAS } from './sets.ts';
import { TargetFactsSchema } from './target-facts.ts';

/** A median over rounds with its 95% bootstrap interval; `ci95` is null with fewer than 3 rounds. */
export const EstimateSchema = Type.Object({
  median: Type.Number(),
  ci95: nullable(numberPair),
});
export type Estimate = Static<typeof EstimateSchema>;

export const CellSummarySchema = Type.Object({
  rounds: count, // how many rounds the estimates are over
  requestsPerSec: EstimateSchema,
  latencyUs: Type.Object({ p50: EstimateSchema, p99: EstimateSchema }),
  serverCpuUsPerRequest: nullable(EstimateSchema), // null: no round had process evidence (external target)
  /** Percentiles of all rounds' histograms merged (every response of the cell), when histograms exist. */
  mergedLatencyUs: Type.Optional(LatencyUsSchema),
  /** Percentiles of the admitted responses of all rounds merged (rounds with admittedHistogram only). */
  admittedLatencyUs: Type.Optional(LatencyUsSchema),
  /** 503 answers / all answers over the rounds, 0..1: the share load shedding turned away; present when a 503 came. */
  shedShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /**
   * Rounds left out of the estimates because they cannot be used (results/validity.ts): invalid, or
   * disturbed by other processes. When every round is, the estimates are over all of them and the cell
   * is inconclusive: its verdicts say so.
   */
  unusableRounds: Type.Optional(Type.Object({ invalid: count, disturbed: count })),
});
export type CellSummary = Static<typeof CellSummarySchema>;

export const CellSchema = Type.Object({
  adapter: nonEmpty,
  scenario: nonEmpty,
  tool: oneOf(TOOLS),
  connections: positiveInt, // autocannon connections, or k6 VUs for closed-model k6
  poolMax: positiveInt,
  rounds: Type.Array(RoundSchema),
  summary: CellSummarySchema,
  // Optional, filled by the commands that vary them (observability, k6, sweep, capacity, pgbouncer).
  label: Type.Optional(Type.String()), // free text that tells apart cells of the same adapter and scenario
  metrics: Type.Optional(oneOf(METRICS_MODES)),
  via: Type.Optional(oneOf(VIAS)),
  targetRate: Type.Optional(nonNegative), // k6 open model: requests/s asked for
  achievedRate: Type.Optional(nonNegative), // requests/s actually sent
  droppedIterations: Type.Optional(count), // > 0 makes the cell invalid for latency claims
  sloPassed: Type.Optional(Type.Boolean()), // k6 thresholds
  invalidForLatency: Type.Optional(Type.Boolean()),
  side: Type.Optional(oneOf(SIDES)), // gate runs only: base or head revision
  workers: Type.Optional(positiveInt), // processes of the target (serve --workers N), recorded for pg-sync and clusters
  dbConnections: Type.Optional(positiveInt), // the most DB connections the target may hold (pg-sync: 1 per process)
  thinkTimeMs: Type.Optional(count), // concurrent users: each VU sleeps this long between requests (k6 constant-vus)
  targetKind: Type.Optional(oneOf(CELL_TARGET_KINDS)), // absent: node (files before target kinds)
  targetUrl: Type.Optional(Type.String()), // external targets: the URL measured
  contractDifferences: Type.Optional(Type.Array(Type.String())), // --contract warn: how the target differs from the contract
  /** Where the server-side evidence came from, or why there is none ("n/a: external target"). */
  evidence: Type.Optional(Type.Object({ process: Type.String(), dbBackends: Type.String() })),
  /** What the target said it ran with, at its first start in this cell (FastAPI targets: GET /internal/target). */
  targetFacts: Type.Optional(TargetFactsSchema),
  dbLatencyMs: Type.Optional(count), // --db-latency: ms Toxiproxy added to every round trip between the target and PostgreSQL
  threads: Type.Optional(positiveInt), // --threads: the sync target's thread pool (anyio's limiter), when set
  fault: Type.Optional(nonEmpty), // the --fault schedule of every window of this cell (bench/faults/schedule.ts specs)
});
export type Cell = Static<typeof CellSchema>;
