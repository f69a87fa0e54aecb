/**
 * Whether a scenario always sends one and the same request (health, stats): then a load tool can build
 * it once instead of once per request. Decided exactly, not by sampling: the scenario has a single
 * request kind and its make() never asks the PRNG for anything.
 */
import type { DataShape, GeneratedRequest, Scenario } from '../../scenarios/catalog.ts';
import type { Rng } from '../../shared/prng.ts';

export function fixedRequest(scenario: Scenario, data: DataShape): GeneratedRequest | undefined {
  if (scenario.requests.length !== 1) return undefined;
  let used = false;
  const use = (): never => {
    used = true;
    throw new Error('uses the PRNG');
  };
  const probe: Rng = { next: use, int: use, pick: use, chance: use };
  try {
    const request = scenario.requests[0]!.make(probe, data);
    return used ? undefined : request;
  } catch (err) {
    if (used) return undefined;
    throw err;
  }
}
