/** The pure parts of the wrk runner: request list, Lua generator, export parsing, correction undone. */
import { describe, expect, it } from 'vitest';
import { SCENARIOS, SCENARIO_NAMES } from '../../scenarios/catalog.ts';
import { wrkArgs, wrkThreads } from '../../bench/runners/wrk/runner.ts';
import { requestLines, staticRequest, WRK_MARKERS, wrkScript } from '../../bench/runners/wrk/lua.ts';
import {
  parseWrkExport,
  uncorrectLatency,
  wrkCorrectionIntervalUs,
  wrkMeasurement,
  WrkExportError,
} from '../../bench/runners/wrk/parse.ts';
import { buildRequestList, requestQuotas, WRK_REQUEST_LIST_LENGTH } from '../../bench/runners/wrk/requests.ts';
import { decodeHistogram } from '../../bench/stats/histogram.ts';
import { createRng } from '../../shared/prng.ts';

/**
 * wrk 4.1's stats_correct (src/stats.c), line for line, with its scan from `min` in stats_value_at:
 * what latency(i) shows after the threads join. The reference the inverse is tested against.
 */
function wrkStatsCorrect(orig: ReadonlyArray<[number, number]>, expected: number): Array<[number, number]> {
  const data = new Map(orig);
  const min = Math.min(...orig.map(([v]) => v));
  const max = Math.max(...orig.map(([v]) => v));
  for (let n = expected * 2; n <= max; n++) {
    const count = data.get(n) ?? 0;
    let m = n - expected;
    while (count && m > expected) {
      data.set(m, (data.get(m) ?? 0) + count);
      m -= expected;
    }
  }
  return [...data].filter(([v, c]) => c > 0 && v >= min).sort((a, b) => a[0] - b[0]);
}

const total = (pairs: ReadonlyArray<readonly [number, number]>) => pairs.reduce((s, [, c]) => s + c, 0);

describe('wrk request list', () => {
  it.each([
    { weights: [70, 20, 8, 2], length: 100, quotas: [70, 20, 8, 2] },
    { weights: [70, 20, 8, 2], length: 7, quotas: [5, 1, 1, 0] },
    { weights: [1, 1, 1], length: 10, quotas: [4, 3, 3] },
    { weights: [1], length: 5, quotas: [5] },
  ])(
    'gives each kind its share of the list by largest remainder: $weights over $length',
    ({ weights, length, quotas }) => {
      expect(
        requestQuotas(
          weights.map((weight, i) => ({ name: String(i), weight })),
          length,
        ),
      ).toEqual(quotas);
    },
  );

  it('holds exactly the catalog weights of mixed over the default length', () => {
    const list = buildRequestList({ scenario: 'mixed', seed: 42, jobCount: 10_000 });
    expect(list).toHaveLength(WRK_REQUEST_LIST_LENGTH);
    const counts = Object.fromEntries(SCENARIOS.mixed.requests.map((r) => [r.name, 0]));
    for (const r of list) counts[r.name]!++;
    const weightTotal = SCENARIOS.mixed.requests.reduce((s, r) => s + r.weight, 0);
    for (const spec of SCENARIOS.mixed.requests)
      expect(counts[spec.name]).toBe((spec.weight / weightTotal) * WRK_REQUEST_LIST_LENGTH);
  });

  it('is the same for the same seed, different for another, and uses seeded ids in range', () => {
    const a = buildRequestList({ scenario: 'get-job', seed: 7, jobCount: 50, length: 500 });
    expect(buildRequestList({ scenario: 'get-job', seed: 7, jobCount: 50, length: 500 })).toEqual(a);
    expect(buildRequestList({ scenario: 'get-job', seed: 8, jobCount: 50, length: 500 })).not.toEqual(a);
    const ids = a.map((r) => Number(r.path.slice('/jobs/'.length)));
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(50);
  });

  it('makes each request with the catalog generator and the run seed', () => {
    const rng = createRng(3);
    const first = SCENARIOS.search.requests[0].make(rng, { jobCount: 10 });
    // One kind only: the shuffle draws length-1 numbers before the parameters are drawn.
    const list = buildRequestList({ scenario: 'search', seed: 3, jobCount: 10, length: 1 });
    expect(list[0]).toEqual({ name: 'search', ...first });
  });
});

describe('wrk Lua script', () => {
  it.each(SCENARIO_NAMES)('embeds every request of %s as one line, bodies and paths intact', (scenario) => {
    const requests = buildRequestList({ scenario, seed: 1, jobCount: 100, length: 200 });
    const script = wrkScript({ requests, threads: 2, exportPath: '/tmp/x "y".txt' });
    const lines = requestLines(requests).split('\n');
    expect(lines).toHaveLength(200);
    expect(lines.map((l) => l.split('\t'))).toEqual(requests.map((r) => [r.method, r.path, r.body ?? '']));
    if (staticRequest(requests)) {
      // One request repeated (health, stats): wrk's own static request, no Lua per request.
      expect(script).toContain(`wrk.method = "${requests[0]!.method}"\nwrk.path = "${requests[0]!.path}"\n`);
      expect(script).not.toContain('function request(');
      expect(script).not.toContain('local DATA');
    } else {
      expect(script).toContain(requestLines(requests));
      expect(script).toContain('function request(');
    }
    expect(script).toContain('local EXPORT_PATH = "/tmp/x \\"y\\".txt"');
    expect(script).toContain(WRK_MARKERS.start);
    expect(script).toContain(WRK_MARKERS.end);
    expect(script).not.toContain('function response(');
  });

  it('adds a response() callback only when status codes are asked for', () => {
    const requests = buildRequestList({ scenario: 'health', seed: 1, jobCount: 1, length: 1 });
    expect(wrkScript({ requests, threads: 1, exportPath: '/e', statusCodes: true })).toContain('function response(');
  });

  it('is static exactly when every request of the list is the same one', () => {
    expect(
      staticRequest([
        { method: 'GET', path: '/a' },
        { method: 'GET', path: '/a' },
      ]),
    ).toEqual({ method: 'GET', path: '/a' });
    expect(
      staticRequest([
        { method: 'GET', path: '/a' },
        { method: 'GET', path: '/b' },
      ]),
    ).toBeUndefined();
    expect(
      staticRequest([
        { method: 'POST', path: '/a', body: '{}' },
        { method: 'POST', path: '/a', body: '{"x":1}' },
      ]),
    ).toBeUndefined();
    const post = wrkScript({
      requests: [{ method: 'POST', path: '/jobs', body: '{"a":"]]"}' }],
      threads: 1,
      exportPath: '/e',
    });
    expect(post).toContain('wrk.body = "{\\"a\\":\\"]]\\"}"\nwrk.headers["Content-Type"] = "application/json"');
  });

  it('picks a long-string level absent from the data', () => {
    const script = wrkScript({
      requests: [
        { method: 'GET', path: '/a]]b]=]c' },
        { method: 'GET', path: '/d' },
      ],
      threads: 1,
      exportPath: '/e',
    });
    expect(script).toContain('local DATA = [==[\nGET\t/a]]b]=]c\t\nGET\t/d\t\n]==]');
  });

  it('refuses a request with a newline, which would break the line format', () => {
    expect(() => requestLines([{ method: 'POST', path: '/jobs', body: '{"a":"x\ny"}' }])).toThrow(/newline/);
  });
});

describe('wrk arguments and threads', () => {
  it.each([
    { connections: 32, cores: 2, threads: 1 }, // half the cores: the server and its database need the rest
    { connections: 32, cores: 4, threads: 2 },
    { connections: 5, cores: 4, threads: 1 }, // 2 threads would open only 4 of the 5
    { connections: 1, cores: 8, threads: 1 },
    { connections: 12, cores: 8, threads: 4 },
    { connections: 12, cores: 16, threads: 6 },
  ])('$connections connections on $cores cores: $threads thread(s), a divisor', ({ connections, cores, threads }) => {
    expect(wrkThreads(connections, cores)).toBe(threads);
  });

  it.each([
    { connections: 32, cores: 2, threads: 2 },
    { connections: 5, cores: 2, threads: 1 },
    { connections: 12, cores: 8, threads: 6 },
  ])(
    'for a ceiling (wrk and a bare server alone), every core: $connections connections on $cores cores, $threads',
    ({ connections, cores, threads }) => {
      expect(wrkThreads(connections, cores, true)).toBe(threads);
    },
  );

  it('builds a closed-model command line in whole seconds', () => {
    const window = { baseUrl: 'http://127.0.0.1:1', scenario: 'health' as const, durationS: 2.6, seed: 1 };
    expect(wrkArgs({ ...window, jobCount: 1, connections: 8, timeoutS: 10 }, 2, '/s.lua')).toEqual([
      '-c',
      '8',
      '-t',
      '2',
      '-d',
      '3s',
      '--timeout',
      '10s',
      '-s',
      '/s.lua',
      'http://127.0.0.1:1',
    ]);
  });
});

describe("undoing wrk's coordinated-omission correction", () => {
  it('computes the interval as wrk does, with integer divisions', () => {
    expect(wrkCorrectionIntervalUs(3_046_396, 6415, 32)).toBe(Math.floor(3_046_396 / 200));
    expect(wrkCorrectionIntervalUs(1_000_000, 31, 32)).toBeUndefined(); // 31 / 32 = 0: no correction
  });

  it('recovers the recorded counts from what stats_correct leaves, on random long-tailed data', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 50; trial++) {
      const orig = new Map<number, number>();
      for (let i = 0; i < 300; i++) {
        const v = Math.round(50 + 2000 * Math.pow(rng.next(), 6)); // a long tail: max ~40× the median
        orig.set(v, (orig.get(v) ?? 0) + 1);
      }
      const pairs = [...orig].sort((a, b) => a[0] - b[0]);
      const interval = rng.int(30, 400);
      const corrected = wrkStatsCorrect(pairs, interval);
      expect(uncorrectLatency(corrected, interval)).toEqual(pairs);
    }
  });

  it('shows why the naive sum is too high: synthetic samples below every long latency', () => {
    const corrected = wrkStatsCorrect(
      [
        [100, 10],
        [1_000, 1],
      ],
      200,
    ); // 1000 ≥ 2×200: adds 800, 600, 400, (not 200)
    expect(corrected).toEqual([
      [100, 10],
      [400, 1],
      [600, 1],
      [800, 1],
      [1_000, 1],
    ]);
    expect(total(corrected)).toBe(14);
    expect(total(uncorrectLatency(corrected, 200))).toBe(11);
  });

  it('rejects counts that no correction of wrk 4.1 can produce', () => {
    expect(() =>
      uncorrectLatency(
        [
          [300, 1],
          [400, 5],
        ],
        100,
      ),
    ).toThrow(WrkExportError);
  });
});

describe('wrk export', () => {
  const text = [
    'summary 1400 14 3000',
    'errors 0 1 0 2 1',
    ...wrkStatsCorrect(
      [
        [100, 10],
        [1_000, 3],
      ],
      200,
    ).map(([v, c]) => `latency ${v} ${c}`),
    'end',
  ].join('\n');

  it('maps summary, errors and late responses onto a measurement whose histogram counts every response', () => {
    // 14 requests: 13 recorded + 1 over the timeout; interval = 1400 µs / (14 / 2 connections) = 200 µs.
    const exported = parseWrkExport(text);
    expect(total(exported.latencyUs)).toBe(22); // 9 synthetic: 3 each at 800, 600, 400 µs
    const m = wrkMeasurement(exported, { connections: 2, timeoutS: 1, generatorCpuUs: 5 });
    expect(m).toMatchObject({ durationS: 0.0014, requests: 14, errors: 2, timeouts: 1, non2xx: 2, bytes: 3000 });
    expect(m.statusCodes).toEqual({ '<400': 12, '>399': 2 });
    const h = decodeHistogram(m.histogram);
    expect(h.totalCount).toBe(14);
    expect(h.maxValue).toBeGreaterThanOrEqual(999_000); // the late one, clamped at the 1 s timeout
  });

  it('refuses an export whose counts do not add up to the requests', () => {
    const exported = parseWrkExport(text.replace('summary 1400 14', 'summary 1400 15'));
    expect(() => wrkMeasurement(exported, { connections: 2, timeoutS: 1, generatorCpuUs: 5 })).toThrow(/15 requests/);
  });

  it('refuses a truncated export', () => {
    expect(() => parseWrkExport('summary 1 2 3\n')).toThrow(WrkExportError);
  });
});
