import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import { k6Runner } from '../../bench/runners/k6/runner.ts';
import { decodeHistogram } from '../../bench/stats/histogram.ts';
import type { Results } from '../../bench/results/types.ts';
import { readK6Config } from '../../scenarios/k6/config.ts';
import { firstPauseS, thinkPauseS } from '../../scenarios/k6/think.ts';
import { createRng } from '../../shared/prng.ts';
import { runCli } from '../cli/support.ts';
import { JOBS, K6_BIN, startApi, type Api } from '../k6/support.ts';

// Concurrent users with think time: k6 constant-vus where each VU sleeps after each answer. With U users,
// think time T and mean latency L, each user completes one request every T + L, so the rate is U / (T + L).

const USERS = 50;
const THINK_MS = 200;
const DURATION_S = 4;
// Boundary effects (users start spread over their first think time; the last sleep is cut by the end of the
// window) are about one iteration in DURATION_S / (T + L) ≈ 18, and the shared machine adds jitter to sleep(): ±25%.
const TOLERANCE = 0.25;

const skip = K6_BIN === undefined ? 'k6 is not installed (npm run setup:k6, or K6_BIN=...)' : undefined;
let api: Api;
const out = mkdtempSync(join(tmpdir(), 'jobbench-users-'));
beforeAll(async () => {
  if (!skip) api = await startApi();
}, 90_000);
afterAll(async () => {
  await api?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('think time (pure)', () => {
  it('spreads users over their first think time, then pauses between T/2 and 3T/2 with mean T (no lockstep)', () => {
    const rng = createRng(1);
    const first = Array.from({ length: 10_000 }, () => firstPauseS(rng, 2));
    const pauses = Array.from({ length: 10_000 }, () => thinkPauseS(rng, 2));
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(2);
    expect(Math.min(...pauses)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...pauses)).toBeLessThan(3);
    const mean = pauses.reduce((a, b) => a + b, 0) / pauses.length;
    expect(mean).toBeGreaterThan(1.97);
    expect(mean).toBeLessThan(2.03);
    // Arrivals in the first think time are spread: no tenth of it holds more than twice its share.
    const tenths = Array.from({ length: 10 }, (_, i) => first.filter((f) => f >= i * 0.2 && f < (i + 1) * 0.2).length);
    expect(Math.max(...tenths)).toBeLessThan(2 * 1_000);
  });

  it('is read by the k6 script as seconds, and refused with an arrival-rate executor', () => {
    expect(readK6Config({ SCENARIO: 'get-job', THINK_TIME: '250' }).thinkTimeS).toBe(0.25);
    expect(readK6Config({ SCENARIO: 'get-job' }).thinkTimeS).toBe(0);
    expect(() => readK6Config({ SCENARIO: 'get-job', RATE: '10', THINK_TIME: '250' })).toThrow(/constant-vus/);
  });

  it('is refused by autocannon with the reason (it has no think time)', async () => {
    await expect(
      autocannonRunner.run({
        baseUrl: 'http://127.0.0.1:1',
        scenario: 'get-job',
        durationS: 1,
        seed: 1,
        jobCount: 10,
        connections: 1,
        timeoutS: 1,
        thinkTimeMs: 100,
      }),
    ).rejects.toThrow(/no think time.*--tool k6/);
  });
});

describe.skipIf(skip !== undefined)('concurrent users with think time (real k6, real server)', () => {
  it(`${USERS} users with ${THINK_MS} ms think time send about users / (think time + latency) requests/s`, async () => {
    const m = await k6Runner.run({
      baseUrl: api.target.baseUrl,
      scenario: 'get-job',
      durationS: DURATION_S,
      seed: 7,
      jobCount: JOBS,
      connections: USERS,
      timeoutS: 5,
      thinkTimeMs: THINK_MS,
    });
    const meanLatencyS = decodeHistogram(m.histogram).mean / 1e6;
    const expected = USERS / (THINK_MS / 1000 + meanLatencyS);
    const achieved = m.requests / m.durationS;
    expect(m.errors + m.non2xx).toBe(0);
    expect(achieved, `expected ${expected.toFixed(1)} req/s (mean latency ${meanLatencyS * 1000} ms)`).toBeGreaterThan(
      expected * (1 - TOLERANCE),
    );
    expect(achieved).toBeLessThan(expected * (1 + TOLERANCE));
    // Without the sleep the same users would send many times more: the think time is what limits the rate.
    expect(achieved).toBeLessThan((USERS / (THINK_MS / 1000)) * (1 + TOLERANCE));
  }, 60_000);

  it('jobbench capacity --think-time searches over users and reports the users held', async () => {
    const res = await runCli(
      [
        'capacity',
        '--think-time',
        '200',
        '--adapters',
        'pg-pool',
        '--scenario',
        'get-job',
        '--start',
        '4',
        '--max-connections',
        '8',
        '--slo-p99-ms',
        '2000',
        '--duration',
        '1',
        '--warmup',
        '0',
        '--rounds',
        '1',
        '--jobs',
        '300',
        '--db',
        'external',
        '--out',
        out,
        '-q',
      ],
      { env: { DATABASE_URL: api.db.url, K6_BIN } },
    );
    expect(res.code, res.stderr.slice(-2000)).toBe(0);
    expect(res.stdout).toMatch(/held 8 concurrent users \(think time 200 ms\)/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.cells.map((c) => [c.tool, c.connections, c.thinkTimeMs])).toEqual([
      ['k6', 4, 200],
      ['k6', 8, 200],
    ]);
  }, 180_000);
});
