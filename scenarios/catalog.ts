/**
 * Workloads as data: each scenario names its requests, their weights, and the parameters drawn from
 * the seeded data (shared/vocabulary.ts) so that lookups and searches hit real rows.
 * Plain code with no Node imports: the autocannon worker and the k6 scripts both import this file,
 * so the two tools run the same requests from one definition.
 */
import { CONTRACT_TYPES } from '../shared/contract-types.ts';
import { generateJob } from '../shared/job-generator.ts';
import type { Rng } from '../shared/prng.ts';
import { COMPANIES, LOCATIONS, SEARCH_TERMS, TAGS } from '../shared/vocabulary.ts';

export interface GeneratedRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string; // JSON
}

/** What a generator may know about the seeded data. */
export interface DataShape {
  jobCount: number; // seeded ids are 1..jobCount
}

export interface RequestSpec {
  name: string; // low-cardinality label, e.g. "search"
  weight: number; // relative share within the scenario
  writes?: boolean; // inserts rows: the runner restores the seeded table after the window
  /** The statuses a correct target answers on the seeded data (default 200); any other is unexpected. */
  expects?: readonly number[];
  make(rng: Rng, data: DataShape): GeneratedRequest;
}

export interface Scenario {
  description: string;
  usesDatabase: boolean;
  requests: readonly RequestSpec[];
}

const health: RequestSpec = { name: 'health', weight: 1, make: () => ({ method: 'GET', path: '/health' }) };

const getJob: RequestSpec = {
  name: 'get-job',
  weight: 1,
  make: (rng, data) => ({ method: 'GET', path: `/jobs/${rng.int(1, Math.max(1, data.jobCount))}` }),
};

/** Search parameters with a realistic spread: most searches filter on one or two fields, some use q. */
const search: RequestSpec = {
  name: 'search',
  weight: 1,
  make: (rng) => {
    const params: string[] = [];
    const add = (key: string, value: string | number | boolean) =>
      params.push(`${key}=${encodeURIComponent(String(value))}`);
    if (rng.chance(0.5)) add('q', rng.pick(SEARCH_TERMS));
    if (rng.chance(0.35)) add('location', rng.pick(LOCATIONS));
    if (rng.chance(0.15)) add('company', rng.pick(COMPANIES));
    if (rng.chance(0.25)) add('contract', rng.pick(CONTRACT_TYPES));
    if (rng.chance(0.2)) add('remote', rng.chance(0.5));
    if (rng.chance(0.2)) add('salaryMin', rng.int(4, 12) * 10_000);
    if (rng.chance(0.2)) add('tags', rng.pick(TAGS));
    add('limit', rng.pick([10, 20, 20, 20, 50]));
    return { method: 'GET', path: `/jobs?${params.join('&')}` };
  },
};

const create: RequestSpec = {
  name: 'create',
  weight: 1,
  writes: true,
  expects: [201],
  make: (rng) => {
    const { postedAt: _seededDate, ...job } = generateJob(rng); // the server stamps new jobs with now()
    return { method: 'POST', path: '/jobs', body: JSON.stringify(job) };
  },
};

const stats: RequestSpec = { name: 'stats', weight: 1, make: () => ({ method: 'GET', path: '/jobs/stats' }) };

export const SCENARIOS = {
  health: {
    description: 'GET /health: no database, the ceiling of the HTTP layer',
    usesDatabase: false,
    requests: [health],
  },
  'get-job': {
    description: 'GET /jobs/:id on random existing ids: the point lookup',
    usesDatabase: true,
    requests: [getJob],
  },
  search: {
    description: 'GET /jobs with a realistic spread of filters and full-text terms',
    usesDatabase: true,
    requests: [search],
  },
  create: { description: 'POST /jobs with valid generated bodies', usesDatabase: true, requests: [create] },
  stats: { description: 'GET /jobs/stats: aggregates over the whole table', usesDatabase: true, requests: [stats] },
  mixed: {
    description: 'weighted mix: 70% search, 20% get-job, 8% create, 2% stats',
    usesDatabase: true,
    requests: [
      { ...search, weight: 70 },
      { ...getJob, weight: 20 },
      { ...create, weight: 8 },
      { ...stats, weight: 2 },
    ],
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Whether any request of the scenario inserts rows (create, and mixed through its create share). */
export function scenarioWrites(name: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(SCENARIOS, name) &&
    (SCENARIOS[name as ScenarioName].requests as readonly RequestSpec[]).some((r) => r.writes === true)
  );
}

/**
 * The statuses a correct target answers for this scenario on the seeded data: every other status is
 * unexpected (a 404 on an id that should exist says the data is not what the run seeded).
 */
export function expectedStatuses(name: ScenarioName): ReadonlySet<number> {
  return new Set((SCENARIOS[name].requests as readonly RequestSpec[]).flatMap((r) => r.expects ?? [200]));
}

/** Which request of a scenario comes next, by weight (one draw of rng). */
export function pickRequest(scenario: Scenario, rng: Rng): RequestSpec {
  const total = scenario.requests.reduce((sum, r) => sum + r.weight, 0);
  let r = rng.next() * total;
  for (const spec of scenario.requests) {
    r -= spec.weight;
    if (r < 0) return spec;
  }
  return scenario.requests[scenario.requests.length - 1]!;
}

/** Draws the next request of a scenario by weight. */
export function nextRequest(scenario: Scenario, rng: Rng, data: DataShape): GeneratedRequest {
  return pickRequest(scenario, rng).make(rng, data);
}
