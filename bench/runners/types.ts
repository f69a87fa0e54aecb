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
  /**
   * Count outcomes per second (a fault is scheduled in this window). autocannon and k6 count them anyway
   * at no extra cost; wrk needs a Lua response() callback for it, which costs wrk CPU (wrk.ts).
   */
  timeline?: boolean;
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
  /**
   * Encoded µs histogram of the admitted responses only: every status but 503 (isAdmittedStatus below).
   * Absent when the tool cannot tie a response time to its status (wrk).
   */
  admittedHistogram?: string;
  generatorCpuUs: number; // user + system CPU of the load generator process(es) over the window
  generatorThreads?: number; // threads generating load (wrk -t); absent: one event loop
  // k6 open model
  targetRate?: number;
  achievedRate?: number;
  droppedIterations?: number;
  thresholdsPassed?: boolean;
  thresholdFailures?: string[];
  /** Responses per second by status or error code; absent when the window asked for none (wrk). */
  timeline?: SecondCounts;
}

/**
 * A response that load shedding did not turn away. Shedding (`serve --shed`) answers 503 before any
 * work; the load tools see statuses, not bodies (k6 discards them, autocannon does not read them), so
 * the shed 503 cannot be told from a database-outage 503 by its code: every 503 counts as not admitted.
 * Not "2xx only": a 404 or 400 was admitted and did its work (parsing, a query), and its time is part
 * of what the admitted requests cost. Outside a fault window, the API's only 503 is the shed one.
 */
export const isAdmittedStatus = (status: number): boolean => status !== 503;

/** Moments of a window that the caller acts on (faults are scheduled from the measured load's start). */
export interface RunHooks {
  /** The load generator has started sending: offsets of the window count from here. */
  onStart?: () => void;
}

export interface LoadRunner {
  tool: Tool;
  run(window: LoadWindow, signal?: AbortSignal, hooks?: RunHooks): Promise<WindowMeasurement>;
}
