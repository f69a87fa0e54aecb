import type { BenchmarkOutcome } from '../schedule/plan.ts';
import type { Ceilings } from '../results/ceilings.ts';
import type { DbMode } from '../db/provision.ts';
import type { DbKind, DbPower } from '../db/types.ts';
import type { Progress } from '../host/progress.ts';
import type { Cell, ResultKind, Results } from '../results/types.ts';

/**
 * The shape every command kind shares. A kind lives in bench/kinds/<kind>/ with the same four files:
 * plan.ts (validated options -> frozen plan), execute.ts (the plan run against real processes),
 * analyze.ts (pure: cells -> the kind's analysis) and render.ts (the analysis as a report section).
 * bench/kinds/index.ts lists every kind once; bench/shell/orchestrate.ts runs any of them.
 */

/** What the shell needs from every plan: the recorded configuration and how to get the database. */
export interface PlanBase {
  readonly kind: ResultKind;
  readonly config: Readonly<Record<string, unknown>>; // recorded as results.config (secrets redacted)
  readonly db: {
    readonly databaseUrl?: string;
    readonly mode: DbMode;
    readonly jobs: number;
    readonly seed: number;
    readonly noSeed?: boolean; // --no-seed: migrate nothing, seed nothing (the targets own their data)
    readonly allowDbRestart?: boolean; // --allow-db-restart: db-restart faults on an external local PostgreSQL
    readonly maxConnections?: number; // an embedded PostgreSQL's max_connections, when the plan needs more than its default
  };
  readonly extraTools?: Readonly<Record<string, string>>; // tool -> version, recorded in the environment
}

/**
 * What a kind hands the shell after every completed window (level, phase): everything measured so far,
 * so that results.json is rewritten with status "running" and a kill loses at most the window in flight.
 */
export interface Checkpoint<S> {
  outcome: BenchmarkOutcome; // every cell and failed window so far, all phases together
  windowsPlanned: number | null; // null: not known in advance (a capacity search stops when it converges)
  stage?: string; // where the run is, in words: "phase 2/3: latency at a fixed rate"
  state?: S; // the kind's state so far: with it the shell computes the kind's section (analyze) too
}

/** What execute() gets from the shell. */
export interface ExecuteContext<S = unknown> {
  databaseUrl: string; // the prepared (migrated, seeded) database
  progress: Progress;
  signal: AbortSignal; // aborted on SIGINT/SIGTERM: stop, keep what was measured
  runId: string;
  resultsDir: string; // where results.json goes (and --cpu-profile's profiles/)
  /** Where the database came from, and its power switch when jobbench may restart it (db-restart faults). */
  database?: { kind: DbKind; power?: DbPower };
  /** Writes what was measured so far as results.json with status "running" (bench/shell/checkpoint.ts); never throws. */
  checkpoint?: (checkpoint: Checkpoint<S>) => Promise<void>;
}

/** What execute() hands to analyze(): the measured cells and whatever else the kind collected. */
export interface Execution<S> {
  outcome: BenchmarkOutcome;
  state: S;
  ceilings?: Ceilings; // measured once before the windows (jobbench run): results.ceilings
}

/** How the analysis stored in results.extra[key] becomes a report section. */
export interface KindSection<A> {
  key: string;
  /** Rebuilds the analysis from its stored form so that re-rendering applies the current rules (adr). */
  read?(results: Results, stored: A): A;
  markdown(analysis: A): string;
  /** Plain text fitting `width` columns (bench/report/text-table.ts; Infinity with --wide). */
  terminal(analysis: A, width?: number): string;
  /** The verdict or a one-line summary: the last line a command prints. */
  summary?(analysis: A): string;
  /** Optional HTML of its own for report.html (e.g. the ADR heat map), placed before the analysis text. */
  html?(analysis: A): string;
}

export interface Kind<P extends PlanBase, S, A> {
  execute(plan: P, ctx: ExecuteContext<S>): Promise<Execution<S>>;
  /** Pure. undefined: nothing to add to the report (e.g. a plain run without --metrics both). */
  analyze(plan: P, cells: readonly Cell[], state: S): A | undefined;
  section: KindSection<A>;
}
