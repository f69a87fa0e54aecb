import type { TargetFacts } from '../results/target-facts.ts';
import { fetchOnce } from '../host/fetch-once.ts';

/** The FastAPI targets' own report of what they run with (targets/fastapi/facts.py). */
export const TARGET_FACTS_PATH = '/internal/target';
const FACTS_TIMEOUT_MS = 10_000; // the answer opens a database connection to read the statement cache

/**
 * What a started target says it runs with: event loop, HTTP parser, statement cache, psycopg's
 * implementation, module versions. Never throws: a target that cannot say gets `{ error }`, and the
 * window goes on (the facts describe a measurement; they are not one).
 */
export async function readTargetFacts(baseUrl: string): Promise<TargetFacts> {
  try {
    const res = await fetchOnce(`${baseUrl}${TARGET_FACTS_PATH}`, { signal: AbortSignal.timeout(FACTS_TIMEOUT_MS) });
    const body: unknown = await res.json();
    if (res.status !== 200 || typeof body !== 'object' || body === null || Array.isArray(body))
      return { error: `GET ${TARGET_FACTS_PATH} answered ${res.status}` };
    return body as TargetFacts;
  } catch (err) {
    return { error: `GET ${TARGET_FACTS_PATH} failed: ${(err as Error).message}` };
  }
}
