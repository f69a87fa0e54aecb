/**
 * The results file (`results/<run-id>/results.json`): the one record of a run that every report,
 * comparison and CI gate reads. `schema.json` beside this file is the same contract as JSON Schema;
 * `io.ts` validates against it when a file is read back. Bump SCHEMA_VERSION on any breaking change.
 */
import type { Ceilings } from '../ceilings/types.ts';
import type { WindowCpu, WindowProfile } from '../cpu/types.ts';
import type { FaultEvent } from '../faults/inject.ts';
import type { ResilienceFigures, TimelineSecond } from '../faults/timeline.ts';
import type { RssSeries } from '../rss-series.ts';

export const SCHEMA_VERSION = 1 as const;

/** `running`: written after every completed window while the run goes on (a killed run leaves it so). */
export const RUN_STATUSES = ['complete', 'aborted', 'running'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TOOLS = ['autocannon', 'k6', 'wrk'] as const;
export type Tool = (typeof TOOLS)[number];

/** Which command produced the file; absent means a plain `jobbench run`. */
export const RESULT_KINDS = ['run', 'adr', 'sweep', 'capacity', 'gate'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

export const VIAS = ['direct', 'pgbouncer'] as const;
export type Via = (typeof VIAS)[number];

/** Which revision a cell measured, in a gate run that holds both sides in one file (rounds interleaved). */
export const SIDES = ['base', 'head'] as const;
export type Side = (typeof SIDES)[number];

export const METRICS_MODES = ['on', 'off'] as const;
export type MetricsMode = (typeof METRICS_MODES)[number];

/** Latency percentiles in microseconds, read from an HDR histogram. */
export interface LatencyUs {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** A median over rounds with its 95% bootstrap interval; `ci95` is null with fewer than 3 rounds. */
export interface Estimate {
  median: number;
  ci95: [number, number] | null;
}

/** One measured window (warm-up excluded) of one cell in one round. */
export interface Round {
  round: number; // 1-based round index in the run's interleaving
  durationS: number; // measured window, seconds
  requests: number; // completed responses (any status)
  requestsPerSec: number;
  bytesPerSec: number;
  errors: number; // connection errors, resets, timeouts: requests without a response
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>; // "200" -> count
  latencyUs: LatencyUs;
  histogram: string; // HDR histogram of latencies in µs, compressed + base64 (bench/stats/histogram.ts)
  /** The same for admitted responses only (every status but 503: runners/types.ts isAdmittedStatus); present when a 503 came and the tool ties times to statuses (not wrk). */
  admittedHistogram?: string;
  /** user+system CPU of the server (its whole process tree) over the window / requests; null: no process evidence (external target, Cell.evidence says why) */
  serverCpuUsPerRequest: number | null;
  serverRssBytes: number | null; // peak RSS of the server (summed over its process tree) during the window; null as above
  harnessPeakRssBytes?: number; // jobbench's own RSS (process.memoryUsage.rss, every second): largest in the window
  harnessEndRssBytes?: number; // ... and at its end: with the peak, shows the harness stays bounded (bench/memory-sampler.ts)
  rssOverTime?: RssSeries; // windows over a minute: harness and server RSS per minute, at most 60 points (bench/rss-series.ts)
  eventLoopMaxDelayMs: number | null; // null: the target reports no event loop (FastAPI, external)
  serverProcesses?: number | null; // max processes of the target during the window (uvicorn: supervisor + workers)
  serverThreads?: number | null; // max threads summed over those processes
  poolWaitingMax: number | null; // null when the driver exposes no pool gauge
  dbBackends: number; // max sampled backends with application_name = jobbench:<adapter>
  generatorCpuPercent: number; // load generator CPU over the window, % of one core
  generatorBound: boolean; // the generator used >= 90% of each core it can use (bench/cpu/saturation.ts): a floor
  machineSaturated?: boolean; // >= 90% of all cores busy (bench/cpu/saturation.ts)
  cpu?: WindowCpu; // generator, server tree, PostgreSQL backends and machine CPU over the window
  profile?: WindowProfile; // --cpu-profile: the server's .cpuprofile of the window and its top self-time functions
  /** DB queries per completed request over the window; null: pg_stat_statements not loaded; absent: not counted. */
  queriesPerRequest?: number | null;
  /** SQL statements per completed request from pg_stat_statements; null: the extension is not loaded. */
  pgStatementsPerRequest?: number | null;
  /** Requests sent that got neither a response nor an error (beyond those in flight at the end); must be 0. */
  noAnswer?: number;
  // A window with a scheduled fault (--fault): what happened when, and how the target came through it.
  faultEvents?: FaultEvent[];
  timeline?: TimelineSecond[]; // responses per second of the window, by status or error code
  resilience?: ResilienceFigures;
}

/**
 * A window that could not be measured (the server died, the database went away, the load tool failed):
 * kept out of the cells' rounds, listed here with its reason; the run went on to the next window.
 */
export interface FailedWindow {
  adapter: string;
  scenario: string;
  connections: number;
  poolMax: number;
  round: number;
  reason: string;
  tool?: Tool; // runs with several tools (--tool autocannon,wrk): the window's tool
  fault?: string;
  label?: string;
}

export interface CellSummary {
  rounds: number; // how many rounds the estimates are over
  requestsPerSec: Estimate;
  latencyUs: { p50: Estimate; p99: Estimate };
  serverCpuUsPerRequest: Estimate | null; // null: no round had process evidence (external target)
  /** Percentiles of all rounds' histograms merged (every response of the cell), when histograms exist. */
  mergedLatencyUs?: LatencyUs;
  /** Percentiles of the admitted responses of all rounds merged (rounds with admittedHistogram only). */
  admittedLatencyUs?: LatencyUs;
  /** 503 answers / all answers over the rounds, 0..1: the share load shedding turned away; present when a 503 came. */
  shedShare?: number;
}

/** One (adapter, scenario, load shape) combination, measured over rounds. */
export interface Cell {
  adapter: string;
  scenario: string;
  tool: Tool;
  connections: number; // autocannon connections, or k6 VUs for closed-model k6
  poolMax: number;
  rounds: Round[];
  summary: CellSummary;
  // Optional, filled by the commands that vary them (observability, k6, sweep, capacity, pgbouncer).
  label?: string; // free text that tells apart cells of the same adapter and scenario
  metrics?: MetricsMode;
  via?: Via;
  targetRate?: number; // k6 open model: requests/s asked for
  achievedRate?: number; // requests/s actually sent
  droppedIterations?: number; // > 0 makes the cell invalid for latency claims
  sloPassed?: boolean; // k6 thresholds
  invalidForLatency?: boolean;
  side?: Side; // gate runs only: base or head revision
  workers?: number; // processes of the target (serve --workers N), recorded for pg-sync and clusters
  dbConnections?: number; // the most DB connections the target may hold (pg-sync: 1 per process)
  thinkTimeMs?: number; // concurrent users: each VU sleeps this long between requests (k6 constant-vus)
  targetKind?: 'node' | 'fastapi' | 'external'; // bench/targets/kinds.ts; absent: node (files before target kinds)
  targetUrl?: string; // external targets: the URL measured
  /** Where the server-side evidence came from, or why there is none ("n/a: external target"). */
  evidence?: { process: string; dbBackends: string };
  fault?: string; // the --fault schedule of every window of this cell (bench/faults/schedule.ts specs)
}

export interface Environment {
  cpuModel: string;
  cpus: number;
  memoryBytes: number;
  os: string;
  node: string;
  postgres: string; // server version as reported by the server
  drivers: Record<string, string>; // npm package -> installed version
  gitCommit: string | null; // null outside a git checkout
}

export interface Results {
  schemaVersion: typeof SCHEMA_VERSION;
  runId: string;
  status: RunStatus;
  startedAt: string; // ISO 8601
  finishedAt: string; // ISO 8601; for an aborted run, when it stopped
  command: string[]; // argv, secrets redacted
  config: Record<string, unknown>; // the resolved options of the run (secrets redacted)
  environment: Environment;
  cells: Cell[];
  kind?: ResultKind;
  extra?: Record<string, unknown>; // command-specific analysis (sweep knee, capacity curve, ADR table, …)
  ceilings?: Ceilings; // the machine's own HTTP and DB ceilings and fingerprint (bench/ceilings/)
  failedWindows?: FailedWindow[]; // windows that failed (fault, crash, dead server), each with its reason
  progress?: RunProgress; // a running or aborted run: how far it got (absent when complete)
}

/** How far a partial (running or aborted) run got; every kind counts measured and failed windows alike. */
export interface RunProgress {
  windowsDone: number; // measured rounds of every cell + failed windows
  windowsPlanned: number | null; // null: not known in advance (capacity searches stop when they converge)
  stage?: string; // where the run was, in words ("adr phase 2/3: latency at a fixed rate")
}
