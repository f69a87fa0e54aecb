/**
 * Service level objectives as k6 thresholds: a breached SLO makes k6 exit with code 99, which the
 * harness reports as a cell that failed its SLO. Plain data (no k6 imports): Node reads it too.
 *
 * The latency targets are for this reference API on one laptop-class machine with the seeded data;
 * they are meant to catch a regression or an overloaded server, not to describe a production SLO.
 * Override any metric's list with THRESHOLDS='{"http_req_duration":["p(99)<50"]}' (or the harness's
 * k6.thresholds); an override replaces that metric's list and leaves the others alone.
 */
import type { ScenarioName } from '../catalog.ts';

export type Thresholds = Record<string, string[]>;

interface LatencySlo {
  p95Ms: number;
  p99Ms: number;
}

// Point lookups and the health check answer in well under a millisecond when healthy; searches and
// aggregates scan more rows (stats reads the whole table).
const LATENCY_SLO_MS: Record<ScenarioName, LatencySlo> = {
  health: { p95Ms: 100, p99Ms: 250 },
  'get-job': { p95Ms: 100, p99Ms: 250 },
  search: { p95Ms: 300, p99Ms: 750 },
  create: { p95Ms: 200, p99Ms: 500 },
  stats: { p95Ms: 1_000, p99Ms: 2_000 },
  mixed: { p95Ms: 300, p99Ms: 750 },
};

export const MAX_FAILED_REQUEST_RATE = 0.01; // 1% of requests may fail (status >= 400 or no response)

/** The SLO thresholds of a scenario, with the given per-metric overrides applied. */
export function sloThresholds(scenario: ScenarioName, overrides: Thresholds = {}): Thresholds {
  const slo = LATENCY_SLO_MS[scenario];
  return {
    http_req_duration: [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`],
    http_req_failed: [`rate<${MAX_FAILED_REQUEST_RATE}`],
    // An open-model run that could not start every request on time measured a lighter load than it
    // claims: invalid for latency. Closed-model executors never drop, so this passes for them.
    dropped_iterations: ['count==0'],
    ...overrides,
  };
}
