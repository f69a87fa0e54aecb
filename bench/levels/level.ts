import type { Round } from '../results/types.ts';
import { median } from '../stats/bootstrap.ts';
import { sloBreach, type CapacitySlo } from './search.ts';

/** One level of the search as measured: what the curve and the report show. */
export interface CapacityLevel {
  connections: number;
  requestsPerSec: number; // median over the level's rounds
  p50Ms: number; // median over rounds
  p99Ms: number; // median over rounds
  errorRate: number; // (errors + non-2xx) / attempts over all rounds, 0..1
  requests: number; // responses, summed over rounds
  errors: number; // requests without a response (connection errors, timeouts)
  non2xx: number;
  dbBackends: number; // max backends of the server in pg_stat_activity
  poolWaitingMax: number | null;
  generatorCpuPercent: number; // max over rounds, % of one core
  generatorBound: boolean; // the load generator was the bottleneck: the level's throughput is a floor
  held: boolean;
  breach: string | null; // why it did not hold
  why: string; // why the search tried this level
}

/** A level's numbers from its rounds: medians for rates and latencies, sums for counts, max for backends. */
export function toLevel(connections: number, rounds: readonly Round[], slo: CapacitySlo, why: string): CapacityLevel {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const errors = rounds.reduce((n, r) => n + r.errors, 0);
  const non2xx = rounds.reduce((n, r) => n + r.non2xx, 0);
  const attempts = requests + errors;
  const waiting = rounds.map((r) => r.poolWaitingMax).filter((w): w is number => w !== null);
  const level = {
    connections,
    requestsPerSec: round3(median(rounds.map((r) => r.requestsPerSec))),
    p50Ms: round3(median(rounds.map((r) => r.latencyUs.p50)) / 1000),
    p99Ms: round3(median(rounds.map((r) => r.latencyUs.p99)) / 1000),
    // No response at all is a failed level, not a perfect one.
    errorRate: attempts > 0 ? round6((errors + non2xx) / attempts) : 1,
    requests,
    errors,
    non2xx,
    dbBackends: Math.max(...rounds.map((r) => r.dbBackends)),
    poolWaitingMax: waiting.length > 0 ? Math.max(...waiting) : null,
    generatorCpuPercent: Math.max(...rounds.map((r) => r.generatorCpuPercent)),
    generatorBound: rounds.some((r) => r.generatorBound),
  };
  const breach = sloBreach(
    { connections, errorRate: level.errorRate, p99Ms: level.p99Ms, requestsPerSec: level.requestsPerSec },
    slo,
  );
  return { ...level, held: breach === null, breach, why };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
