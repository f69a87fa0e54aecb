/**
 * Think time of concurrent users (constant-vus with THINK_TIME). Users who all start at t = 0 and all
 * sleep exactly T after each answer move in lockstep: U requests arrive together every T + L, a burst
 * that queues behind the server's connections however idle it is on average (U users on 40 connections
 * at L = 50 ms: a p99 of about U / 40 × 50 ms). Real users are not synchronised, so each one starts at a
 * random point of its first think time and then thinks uniformly between T / 2 and 3T / 2 (mean T: the
 * rate stays U / (T + L)). Plain code with no k6 imports: the pauses are tested in Node.
 */
import type { Rng } from '../../shared/prng.ts';

/** Seconds to sleep before a user's first request: uniform in [0, T). */
export function firstPauseS(rng: Rng, thinkTimeS: number): number {
  return rng.next() * thinkTimeS;
}

/** Seconds to sleep after each answer: uniform in [T / 2, 3T / 2), mean T. */
export function thinkPauseS(rng: Rng, thinkTimeS: number): number {
  return thinkTimeS * (0.5 + rng.next());
}
