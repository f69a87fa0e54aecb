import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executionSegmentArgs, k6Args, k6ProcessEnv, scriptEnv, type K6Window } from '../../bench/runners/k6/args.ts';
import { findK6, K6NotFoundError, LOCAL_K6 } from '../../bench/runners/k6/bin.ts';
import { addSample, emptyCounts, readK6Csv, splitCsvLine } from '../../bench/runners/k6/csv.ts';
import { mergeInstances, targetRatePerS, type K6InstanceMeasurement } from '../../bench/runners/k6/merge.ts';
import { summaryFacts } from '../../bench/runners/k6/summary.ts';
import { decodeHistogram } from '../../bench/stats/histogram.ts';

const window: K6Window = {
  baseUrl: 'http://127.0.0.1:4000',
  scenario: 'get-job',
  durationS: 3,
  seed: 9,
  jobCount: 1000,
  connections: 16,
  timeoutS: 5,
};
const plan = { index: 0, count: 1, scriptPath: '/s.ts', csvPath: '/o.csv', summaryPath: '/sum.json' };

describe('execution segments', () => {
  it.each([
    { i: 0, n: 1, expected: [] },
    { i: 0, n: 2, expected: ['--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1'] },
    { i: 1, n: 2, expected: ['--execution-segment', '1/2:1', '--execution-segment-sequence', '0,1/2,1'] },
    { i: 1, n: 3, expected: ['--execution-segment', '1/3:2/3', '--execution-segment-sequence', '0,1/3,2/3,1'] },
  ])('instance $i of $n', ({ i, n, expected }) => {
    expect(executionSegmentArgs(i, n)).toEqual(expected);
  });
});

describe('k6 command line', () => {
  it('passes a closed-model window as VUs', () => {
    expect(scriptEnv(window, '/sum.json')).toEqual({
      SCENARIO: 'get-job',
      BASE_URL: 'http://127.0.0.1:4000',
      EXECUTOR: 'constant-vus',
      VUS: '16',
      DURATION: '3',
      TIMEOUT: '5',
      SEED: '9',
      JOB_COUNT: '1000',
      SUMMARY_PATH: '/sum.json',
    });
  });

  it('passes an open-model window as a rate, with its pool and threshold overrides', () => {
    const env = scriptEnv(
      { ...window, rate: 500, k6: { maxVUs: 2, thresholds: { http_req_duration: ['p(99)<1'] } } },
      '/sum.json',
    );
    expect(env).toMatchObject({
      EXECUTOR: 'constant-arrival-rate',
      RATE: '500',
      MAX_VUS: '2',
      THRESHOLDS: '{"http_req_duration":["p(99)<1"]}',
    });
    expect(env.VUS).toBeUndefined();
  });

  it('writes per-request CSV and never starts the REST API or reports usage', () => {
    const args = k6Args(window, plan);
    expect(args.slice(0, 1)).toEqual(['run']);
    expect(args).toContain('--no-usage-report');
    expect(args.join(' ')).toContain('--address  --include-system-env-vars=false --out csv=/o.csv');
    expect(args.at(-1)).toBe('/s.ts');
    expect(args).not.toContain('experimental-prometheus-rw');
  });

  it('adds remote write with native histograms, the testid tag and one series per instance', () => {
    const rw: K6Window = {
      ...window,
      k6: { prometheusRw: 'http://127.0.0.1:9090/api/v1/write', testId: 'run-1', instances: 2 },
    };
    const args = k6Args(rw, { ...plan, index: 1, count: 2 }).join(' ');
    expect(args).toContain('--out experimental-prometheus-rw --tag testid=run-1 --tag instance_id=1');
    expect(args).toContain('--execution-segment 1/2:1');
    const env = k6ProcessEnv(rw, { PATH: '/bin', K6_DURATION: '1h', SECRET: 'x' });
    expect(env).toEqual({
      PATH: '/bin',
      K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write',
      K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
      K6_CSV_TIME_FORMAT: 'unix_milli',
    });
  });
});

describe('k6 CSV output', () => {
  const header =
    'metric_name,timestamp,metric_value,error_code,expected_response,method,name,scenario,status,extra_tags,metadata';
  const lines = [
    header,
    'http_reqs,1,1.000000,,true,GET,GET /ready,,200,,', // setup(): no scenario tag, ignored
    'http_req_duration,1,1.771612,,true,GET,GET /ready,,200,,',
    'http_reqs,1,1.000000,,true,GET,GET /jobs/:id,get-job,200,,',
    'http_req_duration,1,0.412345,,true,GET,GET /jobs/:id,get-job,200,,',
    'http_req_waiting,1,0.400000,,true,GET,GET /jobs/:id,get-job,200,,',
    'data_received,1,187.000000,,,,,get-job,,,',
    'iterations,1,1.000000,,,,,get-job,,,',
    'http_reqs,1,1.000000,,false,GET,GET /jobs/:id,get-job,404,,',
    'http_req_duration,1,1.500000,,false,GET,GET /jobs/:id,get-job,404,,',
    'http_reqs,1,1.000000,1050,false,GET,GET /jobs/:id,get-job,0,,', // timeout
    'http_req_duration,1,5000.000000,1050,false,GET,GET /jobs/:id,get-job,0,,',
    'http_reqs,1,1.000000,1212,false,GET,GET /jobs/:id,get-job,0,,', // connection refused
    'dropped_iterations,1,1.000000,,,,,get-job,,,',
    'dropped_iterations,1,1.000000,,,,,get-job,,,',
    'http_reqs,1,1.000000,,true,GET,"GET /odd,name",get-job,201,testid=a,',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'k6-csv-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsvLine('a,"say ""hi""",')).toEqual(['a', 'say "hi"', '']);
  });

  it('counts responses, errors and timeouts and records response times in µs', async () => {
    const path = join(dir, 'samples.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const c = await readK6Csv(path);
    expect({ ...c, histogram: undefined, admittedHistogram: undefined }).toEqual({
      histogram: undefined,
      admittedHistogram: undefined,
      requests: 3,
      statusCodes: { '200': 1, '404': 1, '201': 1 },
      errors: 2,
      timeouts: 1,
      non2xx: 1,
      bytes: 187,
      iterations: 1,
      droppedIterations: 2,
    });
    expect(c.histogram.totalCount).toBe(2); // the 201 line has no duration sample in this fixture
    expect(c.histogram.minNonZeroValue).toBe(412);
    expect(c.histogram.maxValue).toBe(1500);
  });

  it('counts the measured requests per second of the window from their ms timestamps, errors by code', async () => {
    const t0 = 1_796_495_356_000;
    const at = (ms: number, status: string, code = '', scenario = 'get-job') =>
      `http_reqs,${t0 + ms},1.000000,${code},true,GET,GET /jobs/:id,${scenario},${status},,`;
    const dur = (ms: number, status: string, valueMs: number) =>
      `http_req_duration,${t0 + ms},${valueMs},,true,GET,GET /jobs/:id,get-job,${status},,`;
    const path = join(dir, 'timeline.csv');
    const part2 = join(dir, 'timeline-2.csv');
    writeFileSync(
      path,
      [header, at(-5, '200', '', ''), at(100, '200'), dur(100, '200', 2), at(1200, '503'), dur(1200, '503', 0.1)]
        .concat([at(1300, '0', '1212'), at(1400, '0', '1050'), at(2500, '0', '1099')])
        .join('\n'),
    );
    writeFileSync(part2, [header, at(900, '200'), at(1100, '503')].join('\n')); // a second k6 instance
    const { createSecondCounter } = await import('../../bench/faults/second-counts.ts');
    const sink = { counter: createSecondCounter(), startEpochMs: t0 };
    const c = await readK6Csv(path, sink);
    const c2 = await readK6Csv(part2, sink);
    const seconds = sink.counter.finish(3);
    expect(seconds.seconds.map((s) => s.byResult)).toEqual([
      { '200': 2 },
      { '503': 2, ECONNREFUSED: 1, ETIMEDOUT: 1 },
      { 'k6-1099': 1 },
    ]);
    // the counts add up: every measured request (setup()'s excluded) is in exactly one second
    const total = seconds.seconds.reduce((n, s) => n + s.total, 0);
    expect(total).toBe(c.requests + c.errors + c2.requests + c2.errors);
    expect([seconds.firstFailedMs, seconds.lastFailedMs]).toEqual([1100, 2500]);
    // the 503 is not admitted: its time stays out of the admitted histogram
    expect(c.histogram.totalCount).toBe(2);
    expect(c.admittedHistogram.totalCount).toBe(1);
    expect(c.admittedHistogram.maxValue).toBeGreaterThanOrEqual(1999);
  });

  it('rejects a file without the columns it needs', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'metric_name,timestamp,metric_value\nhttp_reqs,1,1\n');
    await expect(readK6Csv(path)).rejects.toThrow(/no "status" column/);
  });

  it('ignores metrics it does not use', () => {
    const c = emptyCounts();
    addSample(c, ['vus', '1', '5', '', '', '', '', 'get-job', ''], {
      metric: 0,
      value: 2,
      errorCode: 3,
      scenario: 7,
      status: 8,
      timestamp: 1,
    });
    expect(c.requests + c.errors + c.iterations).toBe(0);
  });
});

describe('k6 summary', () => {
  it('lists failed thresholds as "metric: expression"', () => {
    const facts = summaryFacts({
      metrics: {
        http_req_duration: { thresholds: { 'p(95)<100': { ok: true }, 'p(99)<1': { ok: false } } },
        dropped_iterations: { thresholds: { 'count==0': { ok: false } } },
        http_reqs: {},
      },
    });
    expect(facts).toEqual({
      thresholdFailures: ['dropped_iterations: count==0', 'http_req_duration: p(99)<1'],
      thresholdCount: 3,
    });
  });
});

describe('mergeInstances', () => {
  function instance(
    index: number,
    latenciesUs: number[],
    extra: Partial<K6InstanceMeasurement> = {},
  ): K6InstanceMeasurement {
    const counts = emptyCounts();
    for (const v of latenciesUs) counts.histogram.recordValue(v);
    counts.requests = latenciesUs.length;
    counts.statusCodes = { '200': latenciesUs.length };
    counts.bytes = 100 * latenciesUs.length;
    counts.droppedIterations = index;
    return {
      index,
      exitCode: 0,
      thresholdsPassed: true,
      thresholdFailures: [],
      counts,
      durationS: 3 + index / 100,
      cpuUs: 1000,
      ...extra,
    };
  }

  it('sums the parts: merged histogram count = sum of the parts', () => {
    const m = mergeInstances({ ...window, rate: 50, k6: { instances: 2 } }, [
      instance(0, [100, 200, 300]),
      instance(1, [400, 500]),
    ]);
    expect(decodeHistogram(m.histogram).totalCount).toBe(5);
    expect(m).toMatchObject({
      requests: 5,
      statusCodes: { '200': 5 },
      bytes: 500,
      generatorCpuUs: 2000,
      durationS: 3.01,
      droppedIterations: 1,
      targetRate: 50,
      thresholdsPassed: true,
    });
    expect(m.achievedRate).toBeCloseTo(5 / 3);
  });

  it('fails the SLO when any instance failed it, naming the instance', () => {
    const m = mergeInstances({ ...window, k6: { instances: 2 } }, [
      instance(0, [1]),
      instance(1, [2], { exitCode: 99, thresholdsPassed: false, thresholdFailures: ['http_req_duration: p(99)<1'] }),
    ]);
    expect(m.thresholdsPassed).toBe(false);
    expect(m.thresholdFailures).toEqual(['instance 1: http_req_duration: p(99)<1']);
    expect(m.targetRate).toBeUndefined(); // closed model
  });

  it('takes the average planned rate of a ramp as the target', () => {
    expect(
      targetRatePerS({ ...window, durationS: 10, rate: 100, k6: { executor: 'ramping-arrival-rate', rampS: 4 } }),
    ).toBe(80);
  });
});

describe('findK6', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k6-bin-test-'));
  const fake = join(dir, 'k6');
  writeFileSync(fake, '#!/bin/sh\necho k6 v0.0.0\n');
  chmodSync(fake, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers K6_BIN, then PATH', () => {
    expect(findK6({ K6_BIN: fake, PATH: '/nowhere' })).toBe(fake);
    expect(findK6({ PATH: `/nowhere:${dir}` })).toBe(fake);
  });

  it('says how to get k6 when K6_BIN points nowhere', () => {
    expect(() => findK6({ K6_BIN: join(dir, 'missing') })).toThrow(K6NotFoundError);
    expect(() => findK6({ K6_BIN: join(dir, 'missing') })).toThrow(/npm run setup:k6/);
  });

  it('falls back to .bin/k6 of the repository, or explains npm run setup:k6', () => {
    try {
      expect(findK6({ PATH: '/nowhere' })).toBe(LOCAL_K6);
    } catch (err) {
      expect((err as Error).message).toMatch(/npm run setup:k6/);
    }
  });
});
