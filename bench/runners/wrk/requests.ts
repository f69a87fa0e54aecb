/**
 * The request list a wrk window cycles through, precomputed in TypeScript from the scenario catalog so
 * that wrk sends the same requests as autocannon and k6 (the catalog's `make` functions, the run's seed,
 * ids drawn from 1..jobCount) without a second PRNG written in Lua.
 *
 * A list is cycled, so any sampling error in it would repeat in every cycle: instead of drawing each
 * request's kind by weight (scenarios/catalog.ts nextRequest), each kind gets an exact quota of the list
 * (largest remainder of weight × length) and the slots are shuffled with the seeded PRNG. Every whole
 * cycle then sends exactly the catalog's mix; a partial cycle is a random contiguous slice of it.
 */
import { SCENARIOS, type GeneratedRequest, type RequestSpec, type ScenarioName } from '../../../scenarios/catalog.ts';
import { createRng, type Rng } from '../../../shared/prng.ts';

/**
 * 20,000 requests: enough distinct ids and searches that a window of a few seconds at ~10k req/s sends
 * each one only a handful of times, and a bounded script (~5 MB for `mixed`, parsed once per wrk thread).
 */
export const WRK_REQUEST_LIST_LENGTH = 20_000;

export interface NamedRequest extends GeneratedRequest {
  name: string; // the catalog's request name, e.g. "search"
}

/** How many slots of `length` each request kind gets: weight × length, largest remainders first. */
export function requestQuotas(specs: readonly Pick<RequestSpec, 'name' | 'weight'>[], length: number): number[] {
  const total = specs.reduce((sum, s) => sum + s.weight, 0);
  const exact = specs.map((s) => (s.weight / total) * length);
  const quotas = exact.map(Math.floor);
  let left = length - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, rest: x - Math.floor(x) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    quotas[i]!++;
  }
  return quotas;
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The scenario's requests for one window: exact weights per whole list, seeded order and parameters. */
export function buildRequestList(opts: {
  scenario: ScenarioName;
  seed: number;
  jobCount: number;
  length?: number;
}): NamedRequest[] {
  const specs = SCENARIOS[opts.scenario].requests as readonly RequestSpec[];
  const length = opts.length ?? WRK_REQUEST_LIST_LENGTH;
  const rng = createRng(opts.seed);
  const quotas = requestQuotas(specs, length);
  const kinds = shuffle(
    specs.flatMap((spec, i) => Array.from({ length: quotas[i]! }, () => spec)),
    rng,
  );
  const data = { jobCount: opts.jobCount };
  return kinds.map((spec) => ({ name: spec.name, ...spec.make(rng, data) }));
}
