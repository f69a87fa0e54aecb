/** One measured window (warm-up excluded) of one cell in one round: `Cell.rounds[]` of the results file. */
import { Type, type Static } from '@sinclair/typebox';
import { WindowCpuSchema, WindowProfileSchema } from './cpu.ts';
import { FaultEventSchema, ResilienceFiguresSchema, TimelineSecondSchema } from './faults.ts';
import { RssSeriesSchema } from './memory.ts';
import { count, nonNegative, nullable, positiveInt, record } from './schema-kit.ts';
import { ValiditySchema } from './validity.ts';
import { DbWorkSchema } from './db-work.ts';

/** Latency percentiles in microseconds, read from an HDR histogram. */
export const LatencyUsSchema = Type.Object({
  p50: nonNegative,
  p90: nonNegative,
  p95: nonNegative,
  p99: nonNegative,
  p999: nonNegative,
  max: nonNegative,
});
export type LatencyUs = Static<typeof LatencyUsSchema>;

export const RoundSchema = Type.Object({
  round: positiveInt, // 1-based round index in the run's interleaving
  durationS: nonNegative, // measured window, seconds
  requests: count, // completed responses (any status)
  requestsPerSec: nonNegative,
  bytesPerSec: nonNegative,
  errors: count, // connection errors, resets, timeouts: requests without a response
  timeouts: count,
  non2xx: count,
  statusCodes: record(count), // "200" -> count
  latencyUs: LatencyUsSchema,
  histogram: Type.String(), // HDR histogram of latencies in µs, compressed + base64 (bench/stats/histogram.ts)
  /** The same for admitted responses only (every status but 503: runners/types.ts isAdmittedStatus); present when a 503 came and the tool ties times to statuses (not wrk). */
  admittedHistogram: Type.Optional(Type.String()),
  /** user+system CPU of the server (its whole process tree) over the window / requests; null: no process evidence (external target, Cell.evidence says why) */
  serverCpuUsPerRequest: nullable(nonNegative),
  serverRssBytes: nullable(nonNegative), // peak RSS of the server (summed over its process tree) during the window; null as above
  harnessPeakRssBytes: Type.Optional(nonNegative), // jobbench's own RSS (process.memoryUsage.rss, every second): largest in the window
  harnessEndRssBytes: Type.Optional(nonNegative), // ... and at its end: with the peak, shows the harness stays bounded (bench/window/probes/memory.ts)
  rssOverTime: Type.Optional(RssSeriesSchema), // windows over a minute: harness and server RSS per minute, at most 60 points
  eventLoopMaxDelayMs: nullable(nonNegative), // null: the target reports no event loop (FastAPI, external)
  serverProcesses: Type.Optional(nullable(count)), // max processes of the target during the window (uvicorn: supervisor + workers)
  serverThreads: Type.Optional(nullable(count)), // max threads summed over those processes
  poolWaitingMax: nullable(nonNegative), // null when the driver exposes no pool gauge
  dbBackends: count, // max sampled backends with application_name = jobbench:<adapter>
  generatorCpuPercent: nonNegative, // load generator CPU over the window, % of one core
  generatorBound: Type.Boolean(), // the generator used >= 90% of each core it can use (bench/window/saturation.ts): a floor
  machineSaturated: Type.Optional(Type.Boolean()), // >= 90% of all cores busy (bench/window/saturation.ts)
  cpu: Type.Optional(WindowCpuSchema), // generator, server tree, PostgreSQL backends and machine CPU over the window
  profile: Type.Optional(WindowProfileSchema), // --cpu-profile: the server's .cpuprofile of the window and its top self-time functions
  /** DB queries per completed request over the window; null: pg_stat_statements not loaded; absent: not counted. */
  queriesPerRequest: Type.Optional(nullable(nonNegative)),
  /** SQL statements per completed request from pg_stat_statements; null: the extension is not loaded. */
  pgStatementsPerRequest: Type.Optional(nullable(nonNegative)),
  /** Database work per request and per statement (pg_stat_statements deltas); null: the extension is not loaded. */
  dbWork: Type.Optional(nullable(DbWorkSchema)),
  /** Requests sent that got neither a response nor an error (beyond those in flight at the end); must be 0. */
  noAnswer: Type.Optional(count),
  // A window with a scheduled fault (--fault): what happened when, and how the target came through it.
  faultEvents: Type.Optional(Type.Array(FaultEventSchema)),
  timeline: Type.Optional(Type.Array(TimelineSecondSchema)), // responses per second of the window, by status or error code
  resilience: Type.Optional(ResilienceFiguresSchema),
  /**
   * What jobbench itself asked of the server and spent during the window, from its probes' first start
   * to their last stop (bench/window/probes/harness.ts, issue 21): the requests its probes sent the
   * target (/internal/process, /metrics, the profiler), in all and by probe; the statements they sent
   * PostgreSQL; and jobbench's own CPU (process.cpuUsage: the load tool runs in its own process and is
   * not in it). Absent in files written before it was recorded.
   */
  /**
   * Whether the window can be used (DESIGN.md rule 12; bench/window/validity.ts): statuses the scenario
   * does not expect, the CPU other processes took from the machine meanwhile, and why it cannot be used.
   */
  validity: Type.Optional(ValiditySchema),
  harness: Type.Optional(
    Type.Object({
      wallS: nonNegative, // from the first probe's start to the last one's stop
      serverRequests: count,
      serverRequestsPerSec: nonNegative,
      serverRequestsByProbe: record(count), // probe name -> requests (probes that sent none left out)
      dbStatements: count, // statements on the window's one sampler connection
      cpuUs: nonNegative, // jobbench's own user + system CPU
      cpuPercent: nonNegative, // of one core
    }),
  ),
});
export type Round = Static<typeof RoundSchema>;
