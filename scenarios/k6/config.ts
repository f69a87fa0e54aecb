/**
 * The k6 script's settings, read from __ENV (k6 `-e KEY=VALUE` flags or the environment): validated,
 * defaults applied, frozen. Pure: jobbench.ts hands it k6's __ENV; Node tests hand it a plain object.
 */
import { SCENARIOS, type ScenarioName } from '../catalog.ts';
import { EXECUTORS, type Executor, type VuPool } from './load-shapes.ts';
import type { Thresholds } from './slos.ts';

export interface K6ScriptConfig {
  scenario: ScenarioName;
  baseUrl: string;
  executor: Executor;
  vus: number;
  thinkTimeS: number; // constant-vus: each VU sleeps this long after each answer (concurrent users)
  ratePerS: number;
  durationS: number;
  rampS: number;
  startRatePerS: number;
  timeoutS: number;
  seed: number;
  jobCount: number;
  vuPool: Partial<VuPool>;
  thresholds: Thresholds; // overrides of the scenario's SLOs
  summaryPath: string | undefined;
}

/** Every variable the script reads, with its meaning; docs/readme/k6.md lists the same. */
export const K6_ENV = {
  SCENARIO: 'scenario name from scenarios/catalog.ts (required)',
  BASE_URL: 'API base URL, default http://127.0.0.1:3000',
  EXECUTOR: `${EXECUTORS.join(' | ')}; default constant-vus, or constant-arrival-rate when RATE is set`,
  VUS: 'closed model: virtual users, default 32',
  THINK_TIME: 'constant-vus: milliseconds each VU sleeps after each answer (concurrent users), default 0',
  RATE: 'open model: requests per second (for ramping: the rate reached and held)',
  DURATION: 'window length: seconds, or a k6 duration like 30s, 2m; default 10s',
  RAMP: 'ramping-arrival-rate: time to reach RATE, default half of DURATION',
  START_RATE: 'ramping-arrival-rate: starting rate, default 0',
  TIMEOUT: 'per-request timeout, seconds or k6 duration; default 10s',
  SEED: 'PRNG seed for request parameters, default 1',
  JOB_COUNT: 'seeded ids are 1..JOB_COUNT, default 10000',
  PRE_ALLOCATED_VUS: 'open model: VUs created up front (default sized from RATE)',
  MAX_VUS: 'open model: VU ceiling (default sized from RATE)',
  THRESHOLDS: 'JSON object of per-metric threshold lists replacing the SLO defaults for those metrics',
  SUMMARY_PATH: 'write the end-of-test summary as JSON to this file',
} as const;

export type K6Env = Partial<Record<keyof typeof K6_ENV, string>>;

export class K6ConfigError extends Error {
  override name = 'K6ConfigError';
}

const DURATION_UNITS_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** "30" (seconds), "30s", "1.5s", "250ms", "2m", "1m30s" -> seconds. */
export function parseDurationS(name: string, raw: string): number {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const parts = raw.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== raw)
    throw new K6ConfigError(`${name} must be seconds or a duration like 30s, 2m, got "${raw}"`);
  return parts.reduce((sum, p) => {
    const [, n, unit] = p.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/)!;
    return sum + Number(n) * DURATION_UNITS_S[unit!]!;
  }, 0);
}

function positive(
  name: string,
  raw: string | undefined,
  fallback: number,
  { integer = false, allowZero = false } = {},
): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const ok = Number.isFinite(n) && (allowZero ? n >= 0 : n > 0) && (!integer || Number.isInteger(n));
  if (!ok)
    throw new K6ConfigError(
      `${name} must be a ${integer ? 'whole' : ''} number ${allowZero ? '>= 0' : '> 0'}, got "${raw}"`,
    );
  return n;
}

function thresholdOverrides(raw: string | undefined): Thresholds {
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new K6ConfigError(`THRESHOLDS must be JSON like {"http_req_duration":["p(99)<50"]}, got "${raw}"`);
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((list) => Array.isArray(list) && list.every((t) => typeof t === 'string'));
  if (!valid) throw new K6ConfigError('THRESHOLDS must map metric names to lists of threshold expressions');
  return parsed as Thresholds;
}

export function readK6Config(env: K6Env): Readonly<K6ScriptConfig> {
  const scenario = env.SCENARIO;
  if (scenario === undefined || !Object.prototype.hasOwnProperty.call(SCENARIOS, scenario)) {
    throw new K6ConfigError(`SCENARIO must be one of ${Object.keys(SCENARIOS).join(', ')}, got "${scenario ?? ''}"`);
  }
  const rateSet = env.RATE !== undefined && env.RATE !== '';
  const executor = env.EXECUTOR || (rateSet ? 'constant-arrival-rate' : 'constant-vus');
  if (!(EXECUTORS as readonly string[]).includes(executor)) {
    throw new K6ConfigError(`EXECUTOR must be one of ${EXECUTORS.join(', ')}, got "${executor}"`);
  }
  if (executor !== 'constant-vus' && !rateSet)
    throw new K6ConfigError(`EXECUTOR=${executor} needs RATE (requests per second)`);
  const baseUrl = (env.BASE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(baseUrl))
    throw new K6ConfigError(`BASE_URL must be like http://127.0.0.1:3000, got "${env.BASE_URL}"`);
  const thinkTimeMs = positive('THINK_TIME', env.THINK_TIME, 0, { integer: true, allowZero: true });
  if (thinkTimeMs > 0 && executor !== 'constant-vus')
    throw new K6ConfigError(
      `THINK_TIME applies to constant-vus (users who wait for each answer); ${executor} starts requests at a rate`,
    );
  const durationS = env.DURATION ? parseDurationS('DURATION', env.DURATION) : 10;
  if (durationS <= 0) throw new K6ConfigError('DURATION must be > 0');
  const vuPool: Partial<VuPool> = {};
  if (env.PRE_ALLOCATED_VUS)
    vuPool.preAllocatedVUs = positive('PRE_ALLOCATED_VUS', env.PRE_ALLOCATED_VUS, 0, { integer: true });
  if (env.MAX_VUS) vuPool.maxVUs = positive('MAX_VUS', env.MAX_VUS, 0, { integer: true });
  return Object.freeze({
    scenario: scenario as ScenarioName,
    baseUrl,
    executor: executor as Executor,
    vus: positive('VUS', env.VUS, 32, { integer: true }),
    thinkTimeS: thinkTimeMs / 1000,
    ratePerS: rateSet ? positive('RATE', env.RATE, 0) : 0,
    durationS,
    rampS: env.RAMP ? parseDurationS('RAMP', env.RAMP) : durationS / 2,
    startRatePerS: positive('START_RATE', env.START_RATE, 0, { allowZero: true }),
    timeoutS: env.TIMEOUT ? parseDurationS('TIMEOUT', env.TIMEOUT) : 10,
    seed: positive('SEED', env.SEED, 1, { integer: true, allowZero: true }),
    jobCount: positive('JOB_COUNT', env.JOB_COUNT, 10_000, { integer: true }),
    vuPool,
    thresholds: thresholdOverrides(env.THRESHOLDS),
    summaryPath: env.SUMMARY_PATH || undefined,
  });
}
