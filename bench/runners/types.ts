import type { ScenarioName } from '../../scenarios/catalog.ts';

import type { Tool } from '../results/types.ts';
import type { SecondCounts } from '../faults/second-counts.ts';

export { TOOLS, type Tool } from '../results/types.ts';

/** One load window against a running target; the runner calls it once for warm-up, once to measure. */
export interface LoadWindow {
  baseUrl: string; // http://127.0.0.1:PORT
  scenario: ScenarioName;
  durationS: number;
  seed: number; // request parameters are drawn from a PRNG with this seed
  jobCount: number; // seeded ids are 1..jobCount
  connections: number; // closed model: concurrent connections (autocannon) or VUs (k6 constant-vus)
  timeoutS: number; // per request
  rate?: number; // open model (k6 arrival-rate): iterations per second
  thinkTimeMs?: number; // concurrent users (k6 constant-vus): each VU sleeps this long after each answer
  k6?: {
    instances?: number; // split across N k6 processes with execution segments
    prometheusRw?: string; // remote-write URL
    testId?: string; // the testid tag on every k6 metric
    thresholds?: Record<string, string[]>; // overrides of the scenario's SLO thresholds
  };
}

/** What one window measured, from the load generator's side. */
export interface WindowMeasurement {
  durationS: number; // actual measured wall time
  requests: number; // responses received (= sum of statusCodes)
  statusCodes: Record<string, number>;
  errors: number; // connection errors and timeouts: requests without a response
  timeouts: number;
  non2xx: number;
  bytes: number; // response bytes read
  histogram: string; // encoded HDR histogram of response times in µs (bench/stats/histogram.ts)
  generatorCpuUs: number; // user + system CPU of the load generator process(es) over the window
  generatorThreads?: number; // threads generating load (wrk -t); absent: one event loop
  // k6 open model
  targetRate?: number;
  achievedRate?: number;
  droppedIterations?: number;
  thresholdsPassed?: boolean;
  thresholdFailures?: string[];
  /** Responses per second by status or error code (autocannon); absent from runners that do not count them. */
  timeline?: SecondCounts;
}

/** Moments of a window that the caller acts on (faults are scheduled from the measured load's start). */
export interface RunHooks {
  /** The load generator has started sending: offsets of the window count from here. */
  onStart?: () => void;
}

export interface LoadRunner {
  tool: Tool;
  run(window: LoadWindow, signal?: AbortSignal, hooks?: RunHooks): Promise<WindowMeasurement>;
}
