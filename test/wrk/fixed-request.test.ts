/** Which scenarios the autocannon worker may build once per connection instead of once per request. */
import { describe, expect, it } from 'vitest';
import { fixedRequest } from '../../bench/runners/fixed-request.ts';
import { SCENARIOS } from '../../scenarios/catalog.ts';

describe('fixedRequest', () => {
  it.each([
    { scenario: 'health', fixed: { method: 'GET', path: '/health' } },
    { scenario: 'stats', fixed: { method: 'GET', path: '/jobs/stats' } },
    { scenario: 'get-job', fixed: undefined },
    { scenario: 'search', fixed: undefined },
    { scenario: 'create', fixed: undefined },
    { scenario: 'mixed', fixed: undefined },
  ] as const)('$scenario: $fixed.path', ({ scenario, fixed }) => {
    expect(fixedRequest(SCENARIOS[scenario], { jobCount: 1_000 })).toEqual(fixed);
  });

  it('treats a request that uses the PRNG as varying even when it would draw one value (1 job)', () => {
    expect(fixedRequest(SCENARIOS['get-job'], { jobCount: 1 })).toBeUndefined();
  });
});
