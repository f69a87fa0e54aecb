import { SCENARIOS, type RequestSpec, type ScenarioName } from '../../scenarios/catalog.ts';
import { createRng } from '../../shared/prng.ts';
import {
  ERROR_SHAPE,
  HEALTH_SHAPE,
  JOB_SHAPE,
  PAGE_SHAPE,
  STATS_SHAPE,
  shapeDifferences,
  type Shape,
} from './contract-shapes.ts';

const PROBE_TIMEOUT_MS = 5_000; // per request: a probe is a handful of requests, not a load

/** The routes of the contract that the scenarios' requests hit. */
export const PROBED_ROUTES = ['GET /health', 'GET /jobs/:id', 'GET /jobs', 'GET /jobs/stats', 'POST /jobs'] as const;
export type ProbedRoute = (typeof PROBED_ROUTES)[number];

export interface ProbeReport {
  ok: boolean;
  routes: ProbedRoute[];
  problems: string[]; // what differed, one line each
  jobsTotal: number | null; // GET /jobs/stats total, when the stats route was probed and answered
}

/** Which route a generated request hits. */
export function routeOf(method: string, path: string): ProbedRoute | null {
  const p = path.split('?')[0]!;
  if (method === 'GET' && p === '/health') return 'GET /health';
  if (method === 'GET' && p === '/jobs/stats') return 'GET /jobs/stats';
  if (method === 'GET' && /^\/jobs\/\d+$/.test(p)) return 'GET /jobs/:id';
  if (method === 'GET' && p === '/jobs') return 'GET /jobs';
  if (method === 'POST' && p === '/jobs') return 'POST /jobs';
  return null;
}

/** The routes the scenarios use, in PROBED_ROUTES order; GET /jobs/stats is always probed (it gives the row count). */
export function routesOf(scenarios: readonly ScenarioName[]): ProbedRoute[] {
  const used = new Set<ProbedRoute>(['GET /jobs/stats']);
  const rng = createRng(1);
  for (const name of scenarios)
    for (const spec of SCENARIOS[name].requests as readonly RequestSpec[]) {
      const req = spec.make(rng, { jobCount: 1 });
      const route = routeOf(req.method, req.path);
      if (route) used.add(route);
    }
  return PROBED_ROUTES.filter((r) => used.has(r));
}

interface Answer {
  status: number;
  type: string;
  json: unknown;
  text: string;
}

async function ask(baseUrl: string, method: string, path: string, body?: string): Promise<Answer | string> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', json, text };
  } catch (err) {
    return `${method} ${path}: no answer (${(err as Error).message})`;
  }
}

/** Status, content type and JSON shape of one answer; [] when it fits. */
function check(a: Answer | string, where: string, status: number, shape: Shape): string[] {
  if (typeof a === 'string') return [a];
  const out: string[] = [];
  if (a.status !== status) out.push(`${where}: status ${a.status}, expected ${status}`);
  if (!/^application\/json\b/.test(a.type)) out.push(`${where}: content type "${a.type}", expected application/json`);
  if (a.json === undefined) out.push(`${where}: body is not JSON: ${JSON.stringify(a.text.slice(0, 60))}`);
  else if (a.status === status) out.push(...shapeDifferences(a.json, shape, where));
  return out;
}

/**
 * A quick check that `baseUrl` serves the job API contract on the routes the scenarios use: status,
 * content type and the JSON shape (fields and types) of one answer per route. It writes nothing:
 * POST /jobs is probed with an empty object, which the contract answers 400 JOBBENCH_ERR_VALIDATION.
 */
export async function probeContract(baseUrl: string, scenarios: readonly ScenarioName[]): Promise<ProbeReport> {
  const routes = routesOf(scenarios);
  const problems: string[] = [];
  let jobsTotal: number | null = null;
  for (const route of routes) {
    if (route === 'GET /health')
      problems.push(...check(await ask(baseUrl, 'GET', '/health'), route, 200, HEALTH_SHAPE));
    else if (route === 'GET /jobs/stats') {
      const a = await ask(baseUrl, 'GET', '/jobs/stats');
      const p = check(a, route, 200, STATS_SHAPE);
      problems.push(...p);
      if (p.length === 0 && typeof a !== 'string') jobsTotal = (a.json as { total: number }).total;
    } else if (route === 'GET /jobs') {
      const a = await ask(baseUrl, 'GET', '/jobs?limit=1');
      const p = check(a, `${route}?limit=1`, 200, PAGE_SHAPE);
      problems.push(...p);
      const first = p.length === 0 && typeof a !== 'string' ? (a.json as { items: unknown[] }).items[0] : undefined;
      if (first !== undefined) problems.push(...shapeDifferences(first, JOB_SHAPE, `${route}: items[0]`));
    } else if (route === 'GET /jobs/:id') {
      const page = await ask(baseUrl, 'GET', '/jobs?limit=1');
      const id =
        typeof page !== 'string' && page.status === 200
          ? (page.json as { items?: { id?: unknown }[] } | undefined)?.items?.[0]?.id
          : undefined;
      if (typeof id === 'string' && /^\d+$/.test(id))
        problems.push(...check(await ask(baseUrl, 'GET', `/jobs/${id}`), `GET /jobs/${id}`, 200, JOB_SHAPE));
      // No job to look up (or no search route): at least the not-found answer must be the contract's.
      else
        problems.push(
          ...check(
            await ask(baseUrl, 'GET', '/jobs/999999999999'),
            `${route} (no id from GET /jobs?limit=1: GET /jobs/999999999999)`,
            404,
            ERROR_SHAPE,
          ),
        );
    } else {
      const a = await ask(baseUrl, 'POST', '/jobs', '{}');
      const p = check(a, `${route} with {}`, 400, ERROR_SHAPE);
      if (p.length === 0 && typeof a !== 'string' && (a.json as { code: string }).code !== 'JOBBENCH_ERR_VALIDATION')
        p.push(`${route} with {}: code ${(a.json as { code: string }).code}, expected JOBBENCH_ERR_VALIDATION`);
      problems.push(...p);
    }
  }
  return { ok: problems.length === 0, routes, problems, jobsTotal };
}
