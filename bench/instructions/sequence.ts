import {
  expectedStatuses,
  nextRequest,
  SCENARIOS,
  type GeneratedRequest,
  type ScenarioName,
} from '../../scenarios/catalog.ts';
import { createRng } from '../../shared/prng.ts';

/**
 * The fixed request sequence a count replays: the scenario's own mix (the catalog, as every load tool
 * draws it) from a seeded PRNG, so that every start of every side serves the very same requests.
 */
export function requestSequence(scenario: ScenarioName, seed: number, jobCount: number, n: number) {
  const rng = createRng(seed);
  const out: GeneratedRequest[] = [];
  for (let i = 0; i < n; i++) out.push(nextRequest(SCENARIOS[scenario], rng, { jobCount }));
  return out;
}

/**
 * Sends the requests one after another on one keep-alive connection (the count is per request, so
 * concurrency would add nothing but scheduling noise). Returns how many answered a status the scenario
 * does not expect: a count over 404s or 503s measures another path.
 */
export async function sendSequence(baseUrl: string, scenario: ScenarioName, requests: readonly GeneratedRequest[]) {
  const expected = expectedStatuses(scenario);
  const unexpected: Record<string, number> = {};
  for (const r of requests) {
    let res: Response;
    try {
      res = await fetch(baseUrl + r.path, {
        method: r.method,
        ...(r.body !== undefined ? { body: r.body, headers: { 'content-type': 'application/json' } } : {}),
      });
    } catch (err) {
      // fetch says only "fetch failed": the reason (ECONNRESET, a timeout) is its cause
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${r.method} ${r.path}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    await res.arrayBuffer();
    if (!expected.has(res.status)) unexpected[res.status] = (unexpected[res.status] ?? 0) + 1;
  }
  return unexpected;
}
