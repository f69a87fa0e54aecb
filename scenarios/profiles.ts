import type { AdapterName } from '../src/adapters/registry.ts';

/**
 * Load profiles, defined once and shared by every command and both tools.
 * Rounds run outside, adapters inside (interleaved); each scenario window is warm-up (discarded) then
 * measurement. Fewer than 3 rounds gives no confidence interval.
 */
export interface LoadProfile {
  description: string;
  rounds: number;
  warmupS: number; // seconds, discarded
  durationS: number; // seconds, measured
  connections: readonly number[]; // closed model (autocannon): concurrent connections
  scenarios: readonly string[]; // default scenarios for `jobbench run`
  jobs: number; // seeded rows
  adapters?: readonly AdapterName[]; // default adapters when --adapters is not given; absent: all
}

export const PROFILES = {
  smoke: {
    description: 'checks that everything runs; numbers mean little',
    rounds: 1,
    warmupS: 1,
    durationS: 2,
    connections: [8],
    scenarios: ['get-job'],
    jobs: 2_000,
  },
  quick: {
    description: 'the main job: about 3 minutes for all adapters, CI sized',
    rounds: 3,
    warmupS: 1,
    durationS: 3,
    connections: [32],
    scenarios: ['get-job', 'search', 'mixed'],
    jobs: 10_000,
  },
  standard: {
    description: 'a report worth reading: 5 rounds, longer windows, two concurrency levels',
    rounds: 5,
    warmupS: 5,
    durationS: 15,
    connections: [16, 64],
    scenarios: ['health', 'get-job', 'search', 'create', 'stats', 'mixed'],
    jobs: 100_000,
  },
  stress: {
    description: 'many connections: queueing and pool contention',
    rounds: 3,
    warmupS: 5,
    durationS: 20,
    connections: [256],
    scenarios: ['get-job', 'mixed'],
    jobs: 100_000,
  },
  gate: {
    // jobbench gate: base and head interleaved, one server per side kept across rounds. 8 short rounds:
    // enough for "same" (the paired interval narrows as 1/√rounds); a "different" on a timed check must pass
    // Holm's first step over the 8 timed checks at 0.05 / 3 looks (p < 0.0021), which the sign-flip test
    // reaches from 10 pairs: a cell that looks changed gets 4 more rounds, up to 8 more (--max-rounds).
    // Whole seconds: autocannon runs them anyway. The budget (≤ 3 min with the instruction counts) is
    // docs/readme/gate.md's "What it costs". get-job (point lookup: CPU per request) and search (the
    // planner and its indexes).
    description: 'the regression gate: base vs head, 8 interleaved rounds of get-job and search',
    rounds: 8,
    warmupS: 1,
    durationS: 1,
    connections: [32],
    scenarios: ['get-job', 'search'],
    jobs: 10_000,
  },
  soak: {
    // Ten minutes of one adapter (the default pool one; --adapters for others, 10 min each): what a long
    // window shows is memory over time (harness and server RSS per minute, bench/window/rss-series.ts) and drift.
    description: 'one 10-minute window of pg-pool: leaks and drift (RSS of harness and server per minute)',
    rounds: 1,
    warmupS: 10,
    durationS: 600,
    connections: [64],
    scenarios: ['mixed'],
    jobs: 100_000,
    adapters: ['pg-pool'],
  },
} as const satisfies Record<string, LoadProfile>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
