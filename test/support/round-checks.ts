import { expect } from 'vitest';
import { decodeHistogram } from '../../bench/stats/histogram.ts';
import type { Round } from '../../bench/results/types.ts';

/**
 * What a measured window of a target jobbench started must say, beyond what the schema already
 * requires (a schema-valid file has every field; these check the values agree with each other).
 */
export function expectMeasuredRound(r: Round, what: string): void {
  expect(r.requests, what).toBeGreaterThan(0);
  // durationS is stored to the millisecond: at thousands of req/s that alone moves the quotient by ~0.5 req/s.
  expect(Math.abs(r.requestsPerSec - r.requests / r.durationS) / r.requestsPerSec, what).toBeLessThan(1e-3);
  expect(r.errors + r.non2xx, `${what}: failed requests`).toBe(0);
  expect(
    Object.values(r.statusCodes).reduce((a, b) => a + b, 0),
    `${what}: statuses add up`,
  ).toBe(r.requests);
  const { p50, p90, p99, max } = r.latencyUs;
  expect(p50, what).toBeGreaterThan(0);
  expect([p50 <= p90, p90 <= p99, p99 <= max], `${what}: percentiles in order`).toEqual([true, true, true]);
  expect(decodeHistogram(r.histogram).totalCount, `${what}: the histogram holds every response`).toBe(r.requests);
  expect(r.serverCpuUsPerRequest, `${what}: server CPU of a started target`).toBeGreaterThan(0);
  expect(r.serverRssBytes, what).toBeGreaterThan(10 * 1024 * 1024);
  expect(r.generatorCpuPercent, what).toBeGreaterThan(0);
  expect(r.dbBackends, what).toBeGreaterThanOrEqual(1);
}
