import type { ScenarioName } from '../../scenarios/catalog.ts';
import type { MetricsMode, Side, Via } from '../results/types.ts';
import type { TargetFacts } from '../results/target-facts.ts';
import type { FastapiSettings } from './fastapi-settings.ts';

/**
 * What distinguishes one server under test from another: one shape per target kind (the table in
 * targets/kinds.ts says who starts each and what evidence it gives). A new kind of target is a member
 * here and a file beside this one that starts it (targets/start.ts dispatches on `kind`).
 */
interface SpecCommon {
  adapter: string; // the target's name: a Node adapter, a FastAPI target, or an external target's label
  poolMax: number; // database connections per server process
  metrics: MetricsMode;
  via: Via;
  /** Gate runs: the side this target measures (base or head), whatever its kind. */
  side?: Side;
  /** --db-latency: reach PostgreSQL through a Toxiproxy proxy adding this many ms per round trip (bench/faults/db-latency.ts). */
  dbLatencyMs?: number;
  /** --contract warn: at first start, refuse only routes that do not answer as the scenarios expect. */
  contract?: 'strict' | 'warn';
  /** Check the contract on these scenarios' routes at the target's first start. */
  probeScenarios?: readonly ScenarioName[];
}

/** A Node adapter of this checkout, served by `jobbench serve` (kind absent: every spec before target kinds). */
export interface NodeTargetSpec extends SpecCommon {
  kind?: 'node';
  shed?: 'on' | 'off'; // run --shed on,off: serve --shed, or explicitly not (absent: the environment decides)
  workers?: number; // serve --workers N; default from targets/workers.ts (pg-sync: poolMax)
}

/**
 * A Node adapter served by another checkout's bin/jobbench.js (a gate side's revision). `serverPoolMax`:
 * the pool its servers really get when a gate flag changes one side only (the cell keeps `poolMax`, so
 * that both sides still match).
 */
export interface RevisionTargetSpec extends Omit<NodeTargetSpec, 'kind'> {
  kind: 'revision';
  root: string;
  serverPoolMax?: number;
}

/** A FastAPI target (targets/fastapi) under uvicorn, with the interpreter that imports its modules. */
export interface FastapiTargetSpec extends SpecCommon {
  kind: 'fastapi';
  python: string; // targets/python.ts findPython
  workers?: number; // uvicorn worker processes (default 1), each with its own pool
  fastapi?: FastapiSettings; // loop, HTTP parser, statement cache, threads (absent: defaults)
}

/** An API jobbench does not start: `--target label=URL[,app=NAME]`. */
export interface ExternalTargetSpec extends SpecCommon {
  kind: 'external';
  url: string; // base URL, no trailing slash
  applicationName?: string; // whose backends pg_stat_activity counts (else every backend but the harness's)
  contractDifferences?: string[]; // --contract warn: how it differs from the contract (listed in the report)
}

export type TargetSpec = NodeTargetSpec | RevisionTargetSpec | FastapiTargetSpec | ExternalTargetSpec;

/** A started (or reached) target. */
export interface Target {
  baseUrl: string;
  pid: number; // 0: not ours (external)
  /** How the server ended when it died on its own or was killed (e.g. "killed by SIGKILL"); null while it runs. */
  exited?(): string | null;
  /** What the target said it runs with (FastAPI targets: GET /internal/target), read once it is ready. */
  facts?: TargetFacts;
  stop(): Promise<void>;
}

/** How a target reaches PostgreSQL, when not at the plan's database URL (PgBouncer, a gate side's own database). */
export interface TargetConnection {
  databaseUrl: string;
  env?: NodeJS.ProcessEnv; // extra environment of the server process
  /** Where the window's samplers and the seeded-table restore look, when not databaseUrl (a gate side's own database). */
  samplerDatabaseUrl?: string;
}

/** The processes and shedding setting of a spec, read alike whatever its kind (undefined where it has none). */
export function shedOf(spec: TargetSpec): 'on' | 'off' | undefined {
  return spec.kind === undefined || spec.kind === 'node' || spec.kind === 'revision' ? spec.shed : undefined;
}

export function workersOf(spec: TargetSpec): number | undefined {
  return spec.kind === 'external' ? undefined : spec.workers;
}
