import type { CapacitySlo, StopReason } from '../../levels/search.ts';
import type { Cell } from '../../results/types.ts';
import type { AdrStackDesign } from './stacks.ts';
import type { TargetStyle } from '../../targets/styles.ts';

/**
 * What `jobbench adr` measured and how: stored in results.extra.adr.design so that the ADR table can
 * be rebuilt and read from the results file alone.
 */
export interface AdrDesign {
  baseline: string; // the sync adapter every async adapter's gain is measured against (pg-sync)
  adapters: { name: string; role: TargetStyle }[];
  paths: string[]; // the ADR's validated paths: create (insertion), search, stats, and the mix
  rounds: number;
  closedConnections: number; // closed model (autocannon): concurrent connections for throughput and closed-load latency (the first of connections)
  connections?: number[]; // every closed-model concurrency measured (--connections list: the map's columns)
  dbLatenciesMs?: number[]; // --db-latency settings (the map's rows); absent: the database as it is
  servers?: string; // whether servers stayed up across rounds, and why

  latency: LatencyDesign;
  capacity: CapacityDesign | { skipped: string };
  loadAverage1m?: { start: number; end: number }; // the machine's 1-minute load average: other work competes for the cores
  /** The stacks compared, each with its own baseline (absent: one node stack, files before --stack). */
  stacks?: AdrStackDesign[];
  stackNote?: string; // why a stack was left out (e.g. Python modules missing)
}

/** How the "latency at a fixed arrival rate" rows were measured. */
export type LatencyDesign =
  | {
      model: 'open'; // k6 constant-arrival-rate: every adapter is offered the same requests/s
      tool: 'k6';
      ratesPerS: Record<string, number>; // per path (the first --db-latency setting's, with several)
      ratesByLatencyMs?: Record<string, Record<string, number>>; // --db-latency: per setting, per path
      rateRule: string; // how the rates were chosen, for the report
    }
  | {
      model: 'closed'; // k6 unavailable: a light closed-model load stands in for a fixed rate
      tool: 'autocannon';
      connections: number;
      why: string; // why k6 was not used
    };

export interface CapacityDesign {
  scenario: string;
  slo: CapacitySlo;
  startConnections: number;
  maxConnections: number;
  resolution: number;
  rounds: number; // searches per adapter, interleaved like the rounds of the other phases
  windowS: { warmupS: number; durationS: number };
  // --think-time: levels are concurrent users (k6 constant-vus, each sleeping this long between
  // requests), the ADR's "connexions max" read as clients mostly idle; absent: busy connections (autocannon)
  thinkTimeMs?: number;
  // open: each level's FastAPI server opens its whole pool before answering (JOBBENCH_POOL_FILL), so that
  // no window pays for new connections; absent (runs before 2026-12-07 05:00): pools opened lazily
  poolFill?: 'open';
}

/** One capacity search (one adapter, one round), as the ADR table needs it. */
export interface AdrCapacityRun {
  adapter: string;
  round: number;
  dbLatencyMs?: number; // --db-latency: the target's setting

  heldConnections: number | null; // null: not even the smallest level tried held
  stoppedBy: StopReason | 'error' | 'aborted' | 'running'; // running: in a partial results file only
  why: string;
  levels: {
    connections: number;
    requestsPerSec: number;
    p99Ms: number;
    errorRate: number;
    held: boolean;
    breach: string | null;
  }[];
  error?: string;
}

/** The stacks of a design; a design written before stacks existed is one node stack. */
export function stacksOf(design: AdrDesign): AdrStackDesign[] {
  return design.stacks ?? [{ stack: 'node', baseline: design.baseline, adapters: design.adapters }];
}

/** The design restricted to one stack: its baseline, its targets; everything else shared. */
export function stackDesign(design: AdrDesign, stack: AdrStackDesign): AdrDesign {
  return { ...design, baseline: stack.baseline, adapters: stack.adapters, stacks: [stack] };
}

/** What the ADR's analysis needs besides the cells (execute's state, kept in checkpoints). */
export interface AdrState {
  design: AdrDesign;
  capacity: AdrCapacityRun[];
  dbTime: AdrDbTime[]; // the targets' own DB time per call, per window (Little's-law L)
}

/** What each side held while measured (closed-model windows): so that a reader can see the comparison is fair. */
export interface AdrResources {
  adapter: string;
  poolMax: number; // the pool size it was given
  dbBackendsMax: number; // backends seen in pg_stat_activity with its application_name
  processesMax: number | null; // server processes (null: not recorded)
  threadsMax: number | null; // threads summed over them
}

export function resourcesOf(design: AdrDesign, cells: readonly Cell[]): AdrResources[] {
  return design.adapters.map(({ name }) => {
    const own = cells.filter((c) => c.adapter === name && c.targetRate === undefined);
    const rounds = own.flatMap((c) => c.rounds);
    const max = (values: (number | null | undefined)[]) => {
      const v = values.filter((x): x is number => typeof x === 'number');
      return v.length === 0 ? null : Math.max(...v);
    };
    return {
      adapter: name,
      poolMax: own[0]?.poolMax ?? 0,
      dbBackendsMax: max(rounds.map((r) => r.dbBackends)) ?? 0,
      processesMax: max(rounds.map((r) => r.serverProcesses)),
      threadsMax: max(rounds.map((r) => r.serverThreads)),
    };
  });
}

/**
 * The target's own DB time per repository call in one window (its jobbench_db_query_duration_seconds,
 * bench/window/probes/db-time.ts): every ADR path makes one repository call per request, so it is the
 * database time per request L of the Little's-law bounds. It includes waiting for a pool connection:
 * the map takes the smallest over a target's windows at one latency (the lightest load waits least).
 */
export interface AdrDbTime {
  adapter: string;
  label?: string; // the target's label (threads, workers) when several share an adapter
  poolMax: number;
  dbLatencyMs?: number;
  scenario: string;
  connections: number;
  rate?: number;
  usPerCall: number;
}
