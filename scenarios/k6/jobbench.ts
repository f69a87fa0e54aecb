/**
 * The jobbench k6 script: every scenario of scenarios/catalog.ts, under any load shape of
 * load-shapes.ts, with the scenario's SLOs as thresholds. Parameterised by __ENV (config.ts, K6_ENV):
 *
 *   k6 run -e SCENARIO=get-job -e RATE=500 -e DURATION=30s scenarios/k6/jobbench.ts          # open model
 *   k6 run -e SCENARIO=search -e VUS=32 -e DURATION=30s scenarios/k6/jobbench.ts             # closed model
 *   k6 run -e SCENARIO=mixed -e VUS=500 -e THINK_TIME=1000 scenarios/k6/jobbench.ts          # users, 1 s think time
 *   k6 run -e SCENARIO=mixed -e EXECUTOR=ramping-arrival-rate -e RATE=2000 scenarios/k6/jobbench.ts
 *
 * Exit codes (k6's): 0 ok, 99 an SLO threshold was breached, 107 a script error (bad __ENV),
 * 108 aborted by setup() because the API is not ready.
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { nextRequest, SCENARIOS } from '../catalog.ts';
import { createRng, type Rng } from '../../shared/prng.ts';
import { firstPauseS, thinkPauseS } from './think.ts';
import { readK6Config } from './config.ts';
import { loadShape } from './load-shapes.ts';
import { sloThresholds } from './slos.ts';
import { makeHandleSummary } from './summary.ts';
import { routeName, SYSTEM_TAGS, WINDOW_MARKERS } from './tags.ts';

const config = readK6Config(__ENV);
const scenario = SCENARIOS[config.scenario];

export const options: Options = {
  scenarios: { [config.scenario]: loadShape(config) },
  thresholds: sloThresholds(config.scenario, config.thresholds),
  systemTags: [...SYSTEM_TAGS],
  // The harness needs status codes and sizes, not bodies; reading them would cost generator CPU.
  discardResponseBodies: true,
  summaryTrendStats: ['med', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'max'],
  userAgent: 'jobbench-k6',
};

/** Fails fast: measuring an API that is not ready measures its error path. */
export function setup(): void {
  const res = http.get(`${config.baseUrl}/ready`, { timeout: '2s', tags: { name: 'GET /ready' } });
  if (res.status !== 200) {
    exec.test.abort(
      `${config.baseUrl}/ready answered ${res.status === 0 ? `no response (${res.error})` : res.status}, expected 200`,
    );
  }
  console.log(WINDOW_MARKERS.start);
}

// One PRNG per VU, seeded from SEED and the VU's id, which k6 keeps unique across execution
// segments: two instances of a distributed run do not send the same requests.
let rng: Rng | undefined;
const data = { jobCount: config.jobCount };
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const timeout = `${Math.round(config.timeoutS * 1000)}ms`;

// Think times from a PRNG of their own, so that the requests a user sends do not depend on its pauses.
let thinkRng: Rng | undefined;

export default function (): void {
  rng ??= createRng((config.seed * 1_000_003 + exec.vu.idInTest) >>> 0);
  if (config.thinkTimeS > 0 && thinkRng === undefined) {
    // Users arrive spread over one think time instead of all at t = 0 (scenarios/k6/think.ts).
    thinkRng = createRng((config.seed * 1_000_033 + exec.vu.idInTest * 7 + 1) >>> 0);
    sleep(firstPauseS(thinkRng, config.thinkTimeS));
  }
  const req = nextRequest(scenario, rng, data);
  http.request(req.method, `${config.baseUrl}${req.path}`, req.body ?? null, {
    headers: req.body === undefined ? {} : JSON_HEADERS,
    tags: { name: routeName(req) },
    timeout,
  });
  // Concurrent users: read the answer, think, ask again. The request rate then follows from the users,
  // the think time and the latency (rate = VUs / (mean think time + latency)), as with real clients; the
  // pause varies around the think time so that users do not move in lockstep.
  if (thinkRng !== undefined) sleep(thinkPauseS(thinkRng, config.thinkTimeS));
}

/** Marks the end of the measured window (every scenario finished, in-flight requests included). */
export function teardown(): void {
  console.log(WINDOW_MARKERS.end);
}

export const handleSummary = makeHandleSummary(config);
