import type { CapacitySlo, StopReason } from '../capacity/search.ts';
import type { AdrStackDesign } from './stacks.ts';

/**
 * What `jobbench adr` measured and how: stored in results.extra.adr.design so that the ADR table can
 * be rebuilt and read from the results file alone.
 */
export interface AdrDesign {
  baseline: string; // the sync adapter every async adapter's gain is measured against (pg-sync)
  adapters: { name: string; role: 'sync' | 'async' }[];
  paths: string[]; // the ADR's validated paths: create (insertion), search, stats, and the mix
  rounds: number;
  closedConnections: number; // closed model (autocannon): concurrent connections for throughput and closed-load latency
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
      ratesPerS: Record<string, number>; // per path
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
}

/** One capacity search (one adapter, one round), as the ADR table needs it. */
export interface AdrCapacityRun {
  adapter: string;
  round: number;
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
