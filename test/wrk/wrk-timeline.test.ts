/**
 * wrk's per-second timeline (a faulted window only): the Lua callback it needs, the placement of its
 * 100 ms buckets against the window's start, and, with the real wrk against the real API, counts that
 * add up to wrk's own totals and to the server's counter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWrkRunner, findWrk } from '../../bench/runners/wrk/runner.ts';
import { wrkScript } from '../../bench/runners/wrk/lua.ts';
import { parseWrkExport } from '../../bench/runners/wrk/parse.ts';
import { wrkTimeline } from '../../bench/runners/wrk/timeline.ts';
import { buildRequestList } from '../../bench/runners/wrk/requests.ts';
import { METRIC, METRICS_PATH } from '../../src/metrics/names.ts';
import { JOBS, startApi, type Api } from '../k6/support.ts';
import { parseSamples } from '../observability/exposition.ts';

const WRK_BIN = findWrk();

describe('the wrk timeline script', () => {
  const requests = buildRequestList({ scenario: 'health', seed: 1, jobCount: 1, length: 1 });
  it('reads the clock per response only when the window asks for a timeline', () => {
    const plain = wrkScript({ requests, threads: 1, exportPath: '/e' });
    const timed = wrkScript({ requests, threads: 1, exportPath: '/e', timeline: true });
    expect(plain).not.toMatch(/ffi|function response\(/);
    expect(timed).toMatch(/require\("ffi"\)/);
    expect(timed.match(/function response\(/g)).toHaveLength(1); // not twice with statusCodes as well
    expect(wrkScript({ requests, threads: 1, exportPath: '/e', timeline: true, statusCodes: true })).toBe(timed);
  });
});

describe('placing wrk buckets in the window', () => {
  const start = 1_796_495_356_040; // epoch ms the start marker carried
  const bucket = (ms: number, status: number, n: number) => `bucket ${Math.floor(ms / 100) * 1000 + status} ${n}`;
  const text = [
    'summary 3000000 60 1000',
    'errors 2 1 0 5 1',
    bucket(start + 10, 200, 20),
    bucket(start + 1_100, 503, 10),
    bucket(start + 1_180, 200, 10),
    bucket(start + 2_400, 200, 20),
    `failed ${start + 1_101} ${start + 1_150}`,
    'failed -1 -1', // a thread that saw no failure
    'end',
  ].join('\n');

  it('counts by second and status, unplaced errors in the last second, the exact first and last failure', () => {
    const exported = parseWrkExport(text);
    expect(exported.statusCodes).toEqual({ '200': 50, '503': 10 });
    const t = wrkTimeline(exported, start, 3);
    expect(t.seconds.map((s) => s.byResult)).toEqual([
      { '200': 20 },
      { '503': 10, '200': 10 },
      { '200': 20, 'wrk-connect': 2, 'wrk-read': 1 },
    ]);
    expect([t.firstFailedMs, t.lastFailedMs]).toEqual([1_101, 1_150]);
    // requests + connect + read + write (errors.timeout are responses, counted in their bucket)
    expect(t.seconds.reduce((n, s) => n + s.total, 0)).toBe(60 + 2 + 1 + 0);
  });
});

describe.skipIf(!WRK_BIN)('wrk timeline (real wrk, real API)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function served(): Promise<number> {
    const text = await (await fetch(`${api.target.baseUrl}${METRICS_PATH}`)).text();
    return parseSamples(text)
      .filter((s) => s.name === METRIC.httpRequests && s.labels.route === '/jobs/:id')
      .reduce((n, s) => n + s.value, 0);
  }

  it("adds up: timeline total = wrk's requests + errors − timeouts ≈ the server's counter", async () => {
    let started = 0;
    const before = await served();
    const m = await createWrkRunner({ bin: WRK_BIN!, threads: 2 }).run(
      {
        baseUrl: api.target.baseUrl,
        scenario: 'get-job',
        durationS: 2,
        seed: 1,
        jobCount: JOBS,
        connections: 4,
        timeoutS: 5,
        timeline: true,
      },
      undefined,
      { onStart: () => started++ },
    );
    const atServer = (await served()) - before;
    expect(started).toBe(1);
    const t = m.timeline!;
    const total = t.seconds.reduce((n, s) => n + s.total, 0);
    expect(m.requests).toBeGreaterThan(50);
    expect(total).toBe(m.requests + m.errors - m.timeouts);
    expect(m.statusCodes).toEqual({ '200': m.requests });
    expect(t.seconds.length).toBeGreaterThanOrEqual(2);
    expect(t.seconds[0]!.ok).toBeGreaterThan(0); // second 0 is the window's, not the clock's
    // wrk stops with one request per connection in flight, served but never counted by wrk
    expect(atServer - total).toBeGreaterThanOrEqual(0);
    expect(atServer - total).toBeLessThanOrEqual(4);
  });
});
