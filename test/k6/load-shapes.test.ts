import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../scenarios/catalog.ts';
import { K6ConfigError, parseDurationS, readK6Config } from '../../scenarios/k6/config.ts';
import { loadShape, plannedIterations, vuPoolForRate, type ShapeInput } from '../../scenarios/k6/load-shapes.ts';
import { sloThresholds } from '../../scenarios/k6/slos.ts';
import { routeName } from '../../scenarios/k6/tags.ts';

const base: ShapeInput = {
  executor: 'constant-vus',
  durationS: 10,
  vus: 8,
  ratePerS: 0,
  rampS: 5,
  startRatePerS: 0,
  timeoutS: 5,
};

describe('vuPoolForRate', () => {
  it.each([
    { rate: 1, expected: { preAllocatedVUs: 10, maxVUs: 50 } }, // floors
    { rate: 200, expected: { preAllocatedVUs: 50, maxVUs: 200 } }, // 250 ms and 1 s of arrivals in flight
    { rate: 500, expected: { preAllocatedVUs: 125, maxVUs: 500 } },
    { rate: 100_000, expected: { preAllocatedVUs: 2_000, maxVUs: 2_000 } }, // ceiling
  ])('sizes the pool from the target rate: $rate/s', ({ rate, expected }) => {
    expect(vuPoolForRate(rate)).toEqual(expected);
  });

  it('lets explicit values win and keeps preAllocatedVUs <= maxVUs', () => {
    expect(vuPoolForRate(500, { maxVUs: 1 })).toEqual({ preAllocatedVUs: 1, maxVUs: 1 });
    expect(vuPoolForRate(500, { preAllocatedVUs: 7 })).toEqual({ preAllocatedVUs: 7, maxVUs: 500 });
  });
});

describe('loadShape', () => {
  it.each([
    { input: base, expected: { executor: 'constant-vus', vus: 8, duration: '10000ms', gracefulStop: '5000ms' } },
    {
      input: { ...base, executor: 'constant-arrival-rate' as const, ratePerS: 50 },
      expected: {
        executor: 'constant-arrival-rate',
        rate: 50,
        timeUnit: '1s',
        duration: '10000ms',
        preAllocatedVUs: 13,
        maxVUs: 50,
        gracefulStop: '5000ms',
      },
    },
    {
      input: { ...base, executor: 'ramping-arrival-rate' as const, ratePerS: 100, rampS: 4, startRatePerS: 10 },
      expected: {
        executor: 'ramping-arrival-rate',
        startRate: 10,
        timeUnit: '1s',
        preAllocatedVUs: 25,
        maxVUs: 100,
        gracefulStop: '5000ms',
        stages: [
          { target: 100, duration: '4000ms' },
          { target: 100, duration: '6000ms' },
        ],
      },
    },
  ])('builds the $input.executor scenario', ({ input, expected }) => {
    expect(loadShape(input)).toEqual(expected);
  });

  it('plans rate × duration iterations, and the area under a ramp', () => {
    expect(plannedIterations({ ...base, executor: 'constant-arrival-rate', ratePerS: 50, durationS: 3 })).toBe(150);
    expect(
      plannedIterations({
        ...base,
        executor: 'ramping-arrival-rate',
        ratePerS: 100,
        startRatePerS: 0,
        rampS: 4,
        durationS: 10,
      }),
    ).toBe(800);
    expect(plannedIterations(base)).toBeUndefined();
  });
});

describe('readK6Config', () => {
  it('chooses the open model when RATE is set', () => {
    expect(readK6Config({ SCENARIO: 'get-job', RATE: '500' })).toMatchObject({
      executor: 'constant-arrival-rate',
      ratePerS: 500,
    });
    expect(readK6Config({ SCENARIO: 'get-job' })).toMatchObject({
      executor: 'constant-vus',
      vus: 32,
      durationS: 10,
      baseUrl: 'http://127.0.0.1:3000',
    });
  });

  it('reads every setting', () => {
    const c = readK6Config({
      SCENARIO: 'mixed',
      BASE_URL: 'http://localhost:8080/',
      EXECUTOR: 'ramping-arrival-rate',
      RATE: '200',
      DURATION: '1m',
      RAMP: '20s',
      START_RATE: '5',
      TIMEOUT: '2s',
      SEED: '7',
      JOB_COUNT: '500',
      PRE_ALLOCATED_VUS: '3',
      MAX_VUS: '9',
      THRESHOLDS: '{"http_req_duration":["p(99)<50"]}',
      SUMMARY_PATH: '/tmp/s.json',
    });
    expect(c).toEqual({
      scenario: 'mixed',
      baseUrl: 'http://localhost:8080',
      executor: 'ramping-arrival-rate',
      vus: 32,
      ratePerS: 200,
      durationS: 60,
      rampS: 20,
      startRatePerS: 5,
      timeoutS: 2,
      seed: 7,
      jobCount: 500,
      vuPool: { preAllocatedVUs: 3, maxVUs: 9 },
      thresholds: { http_req_duration: ['p(99)<50'] },
      summaryPath: '/tmp/s.json',
      thinkTimeS: 0, // THINK_TIME is for constant-vus only (tested below)
    });
  });

  it.each([
    { env: {}, message: /SCENARIO must be one of/ },
    { env: { SCENARIO: 'nope' }, message: /SCENARIO must be one of/ },
    { env: { SCENARIO: 'health', EXECUTOR: 'constant-arrival-rate' }, message: /needs RATE/ },
    { env: { SCENARIO: 'health', EXECUTOR: 'per-vu-iterations' }, message: /EXECUTOR must be one of/ },
    { env: { SCENARIO: 'health', RATE: '-3' }, message: /RATE must be/ },
    { env: { SCENARIO: 'health', VUS: '1.5' }, message: /VUS must be/ },
    { env: { SCENARIO: 'health', DURATION: '10 minutes' }, message: /DURATION must be/ },
    { env: { SCENARIO: 'health', BASE_URL: 'localhost:3000' }, message: /BASE_URL/ },
    { env: { SCENARIO: 'health', THRESHOLDS: '{"http_req_duration":"p(99)<5"}' }, message: /THRESHOLDS/ },
  ])('rejects $env', ({ env, message }) => {
    expect(() => readK6Config(env)).toThrow(K6ConfigError);
    expect(() => readK6Config(env)).toThrow(message);
  });

  it.each([
    ['30', 30],
    ['1.5s', 1.5],
    ['250ms', 0.25],
    ['2m', 120],
    ['1m30s', 90],
  ])('parses the duration %s', (raw, seconds) => {
    expect(parseDurationS('DURATION', raw)).toBe(seconds);
  });
});

describe('sloThresholds', () => {
  it('gives every scenario latency, failure and dropped-iteration SLOs', () => {
    for (const scenario of SCENARIO_NAMES) {
      const t = sloThresholds(scenario);
      expect(t.http_req_duration).toHaveLength(2);
      expect(t.http_req_failed).toEqual(['rate<0.01']);
      expect(t.dropped_iterations).toEqual(['count==0']);
    }
  });

  it('replaces only the overridden metric', () => {
    const t = sloThresholds('get-job', { http_req_duration: ['p(99)<1'] });
    expect(t.http_req_duration).toEqual(['p(99)<1']);
    expect(t.dropped_iterations).toEqual(['count==0']);
  });
});

describe('routeName', () => {
  it.each([
    [{ method: 'GET' as const, path: '/jobs/12345' }, 'GET /jobs/:id'],
    [{ method: 'GET' as const, path: '/jobs?q=data&limit=20' }, 'GET /jobs'],
    [{ method: 'GET' as const, path: '/jobs/stats' }, 'GET /jobs/stats'],
    [{ method: 'POST' as const, path: '/jobs', body: '{}' }, 'POST /jobs'],
    [{ method: 'GET' as const, path: '/health' }, 'GET /health'],
  ])('names %o as %s (low cardinality)', (req, name) => {
    expect(routeName(req)).toBe(name);
  });
});
