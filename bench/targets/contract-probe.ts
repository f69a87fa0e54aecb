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
import { fetchOnce } from '../host/fetch-once.ts';

const PROBE_TIMEOUT_MS = 5_000; // per request: a probe is a handful of requests, not a load

/** The routes of the contract that the scenarios' requests hit. */
export const PROBED_ROUTES = ['GET /health', 'GET /jobs/:id', 'GET /jobs', 'GET /jobs/stats', 'POST /jobs'] as const;
export type ProbedRoute = (typeof PROBED_ROUTES)[number];

export interface ProbeReport {
  ok: boolean;
  routes: ProbedRoute[];
  problems: string[]; // what differed, one line each
  /**
   * The problems that stop a measurement even with `--contract warn`: a route the scenarios send
   * traffic to does not answer the status they expect (200 for reads and /health). POST /jobs is not
   * written to by the probe, so only its error answer is checked (a difference, never blocking).
   */
  blocking: string[];
  jobsTotal: number | null; // GET /jobs/stats total, when the stats route was probed and answered
}

/** How a run treats a target that differs from the contract: refuse it (default), or measure and list. */
export const CONTRACT_MODES = ['strict', 'warn'] as const;
export type ContractMode = (typeof CONTRACT_MODES)[number];

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
  return PROBED_ROUTES.filter((r) => r === 'GET /jobs/stats' || trafficRoutes(scenarios).includes(r));
}

/** The routes the scenarios' requests really hit (what must answer for a measurement to mean anything). */
export function trafficRoutes(scenarios: readonly ScenarioName[]): ProbedRoute[] {
  const used = new Set<ProbedRoute>();
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
    const res = await fetchOnce(`${baseUrl}${path}`, {
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
  const traffic = new Set(trafficRoutes(scenarios));
  const problems: string[] = [];
  const blocking: string[] = [];
  let jobsTotal: number | null = null;
  // A route the scenarios send traffic to that does not answer `status` blocks the measurement.
  const mustAnswer = (route: ProbedRoute, a: Answer | string, where: string, status: number) => {
    if (!traffic.has(route)) return;
    if (typeof a === 'string') blocking.push(a);
    else if (a.status !== status) blocking.push(`${where}: status ${a.status}, the scenarios expect ${status}`);
  };
  for (const route of routes) {
    if (route === 'GET /health') {
      const a = await ask(baseUrl, 'GET', '/health');
      problems.push(...check(a, route, 200, HEALTH_SHAPE));
      mustAnswer(route, a, route, 200);
    } else if (route === 'GET /jobs/stats') {
      const a = await ask(baseUrl, 'GET', '/jobs/stats');
      mustAnswer(route, a, route, 200);
      const p = check(a, route, 200, STATS_SHAPE);
      problems.push(...p);
      if (p.length === 0 && typeof a !== 'string') jobsTotal = (a.json as { total: number }).total;
    } else if (route === 'GET /jobs') {
      const a = await ask(baseUrl, 'GET', '/jobs?limit=1');
      const p = check(a, `${route}?limit=1`, 200, PAGE_SHAPE);
      mustAnswer(route, a, `${route}?limit=1`, 200);
      problems.push(...p);
      const first = p.length === 0 && typeof a !== 'string' ? (a.json as { items: unknown[] }).items[0] : undefined;
      if (first !== undefined) problems.push(...shapeDifferences(first, JOB_SHAPE, `${route}: items[0]`));
    } else if (route === 'GET /jobs/:id') {
      const page = await ask(baseUrl, 'GET', '/jobs?limit=1');
      const id =
        typeof page !== 'string' && page.status === 200
          ? (page.json as { items?: { id?: unknown }[] } | undefined)?.items?.[0]?.id
          : undefined;
      if (typeof id === 'string' && /^\d+$/.test(id)) {
        const a = await ask(baseUrl, 'GET', `/jobs/${id}`);
        problems.push(...check(a, `GET /jobs/${id}`, 200, JOB_SHAPE));
        mustAnswer(route, a, `GET /jobs/${id}`, 200);
      } else {
        // No id from the search route: the scenarios draw ids from 1, so the first must answer 200 (with a job).
        const first = await ask(baseUrl, 'GET', '/jobs/1');
        mustAnswer(route, first, 'GET /jobs/1 (no id from GET /jobs?limit=1)', 200);
        if (typeof first !== 'string' && first.status === 200)
          problems.push(...check(first, 'GET /jobs/1', 200, JOB_SHAPE));
        // At least the not-found answer must be the contract's.
        problems.push(
          ...check(
            await ask(baseUrl, 'GET', '/jobs/999999999999'),
            `${route} (no id from GET /jobs?limit=1: GET /jobs/999999999999)`,
            404,
            ERROR_SHAPE,
          ),
        );
      }
    } else {
      const a = await ask(baseUrl, 'POST', '/jobs', '{}');
      const p = check(a, `${route} with {}`, 400, ERROR_SHAPE);
      if (p.length === 0 && typeof a !== 'string' && (a.json as { code: string }).code !== 'JOBBENCH_ERR_VALIDATION')
        p.push(`${route} with {}: code ${(a.json as { code: string }).code}, expected JOBBENCH_ERR_VALIDATION`);
      problems.push(...p);
    }
  }
  return { ok: problems.length === 0, routes, problems, blocking, jobsTotal };
}
