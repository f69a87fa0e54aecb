/**
 * A scenario's requests as the SQL the raw-SQL adapters send for them (src/adapters/sql.ts), with the
 * same parameters: the catalog's generator draws the request (scenarios/catalog.ts, its weights and
 * parameter mix), the API's own input code turns it into filters or a new job (src/routes/jobs.ts), and
 * sql.ts builds the statement. What the DB ceiling runs is therefore what a cell's requests cost
 * PostgreSQL, without HTTP, JSON or a framework. Pure.
 */
import { pickRequest, SCENARIOS, type DataShape, type ScenarioName } from '../../scenarios/catalog.ts';
import type { Rng } from '../../shared/prng.ts';
import { GET_JOB, INSERT_JOB, STATS, insertParams, searchStatement, type Statement } from '../../src/adapters/sql.ts';
import { LIMITS, type NewJobBody, type SearchQuery } from '../../src/http/schemas.ts';
import { toFilters, toNewJob } from '../../src/routes/jobs.ts';

export interface ScenarioStatement extends Statement {
  request: string; // the catalog's request name: get-job, search, create, stats
}

/** Scenarios whose every request reaches the database (health does not: it has no DB ceiling). */
export function hasDbCeiling(scenario: string): scenario is ScenarioName {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, scenario) && SCENARIOS[scenario as ScenarioName].usesDatabase;
}

/** The next request of the scenario (one weighted draw, then its parameters) as its statement. */
export function nextStatement(scenario: ScenarioName, rng: Rng, data: DataShape): ScenarioStatement {
  const spec = pickRequest(SCENARIOS[scenario], rng);
  const req = spec.make(rng, data);
  const url = new URL(req.path, 'http://x');
  switch (spec.name) {
    case 'get-job':
      return { request: spec.name, text: GET_JOB, values: [url.pathname.slice('/jobs/'.length)] };
    case 'stats':
      return { request: spec.name, text: STATS, values: [] };
    case 'create':
      return {
        request: spec.name,
        text: INSERT_JOB,
        values: insertParams(toNewJob(JSON.parse(req.body!) as NewJobBody)),
      };
    case 'search': {
      const query = Object.fromEntries(url.searchParams) as SearchQuery;
      const limit = query.limit === undefined ? LIMITS.pageDefault : Number(query.limit);
      return { request: spec.name, ...searchStatement(toFilters(query), { limit }) };
    }
    default:
      throw new Error(`no statement for request ${spec.name} of scenario ${scenario}`);
  }
}

/** What the driver loop ran, in words for the results file: sources of the statements and their mix. */
export function driverLoopScript(scenario: ScenarioName, seed: number): string {
  const mix = SCENARIOS[scenario].requests.map((r) => `${r.name} ×${r.weight}`).join(', ');
  return `scenarios/catalog.ts "${scenario}" (${mix}; seed ${seed}) → src/routes/jobs.ts input → src/adapters/sql.ts statements, unnamed (planned per execution, as pg-pool sends them)`;
}
