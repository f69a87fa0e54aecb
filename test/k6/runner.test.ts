/** The k6 LoadRunner with the real k6 binary against the real API. No wall-clock assertions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/host/free-port.ts';
import { createK6Runner, K6RunError, type K6Window } from '../../bench/runners/k6/runner.ts';
import type { WindowMeasurement } from '../../bench/runners/types.ts';
import { decodeHistogram } from '../../bench/stats/histogram.ts';
import { JOBS, K6_BIN, startApi, type Api } from './support.ts';

/** Every window must be internally consistent, whatever else a test checks. */
function expectConsistent(m: WindowMeasurement): void {
  const sumOfCodes = Object.values(m.statusCodes).reduce((a, b) => a + b, 0);
  expect(m.requests).toBe(sumOfCodes);
  expect(decodeHistogram(m.histogram).totalCount).toBe(m.requests); // one response time per response
  expect(m.durationS).toBeGreaterThan(0);
  expect(m.generatorCpuUs).toBeGreaterThan(0);
  expect(m.bytes).toBeGreaterThan(0);
  // the per-second timeline holds every measured request once, setup()'s /ready excluded, and starts at
  // the window's start (second 0 is not empty), whatever the number of instances
  const t = m.timeline!;
  expect(t.seconds.reduce((n, s) => n + s.total, 0)).toBe(m.requests + m.errors);
  expect(t.seconds[0]!.total).toBeGreaterThan(0);
  expect(t.seconds.length).toBeLessThanOrEqual(Math.ceil(m.durationS) + 1);
  // nothing was shed: every response is admitted
  expect(decodeHistogram(m.admittedHistogram!).totalCount).toBe(m.requests - (m.statusCodes['503'] ?? 0));
}

describe.skipIf(!K6_BIN)('k6 runner (real k6, real API)', () => {
  let api: Api;
  const runner = createK6Runner({ bin: K6_BIN });
  let base: K6Window;
  beforeAll(async () => {
    api = await startApi();
    base = {
      baseUrl: api.target.baseUrl,
      scenario: 'get-job',
      durationS: 2,
      seed: 1,
      jobCount: JOBS,
      connections: 4,
      timeoutS: 5,
    };
    await runner.run({ ...base, durationS: 1 }); // warm the server up, as jobbench run does
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('measures a closed-model window (constant VUs) with no open-model fields', async () => {
    const m = await runner.run(base);
    expectConsistent(m);
    expect(m.requests).toBeGreaterThan(0);
    expect(m.statusCodes).toEqual({ '200': m.requests });
    expect(m.thresholdsPassed).toBe(true);
    expect(m.targetRate).toBeUndefined();
    expect(m.droppedIterations).toBeUndefined();
  });

  it('achieves a low arrival rate within a few percent, with no dropped iterations', async () => {
    const m = await runner.run({ ...base, rate: 50, durationS: 3 });
    expectConsistent(m);
    expect(m.targetRate).toBe(50);
    expect(m.droppedIterations).toBe(0);
    expect(Math.abs(m.achievedRate! - 50) / 50).toBeLessThan(0.05);
    expect(m.errors).toBe(0);
  });

  it('reports a breached SLO as thresholdsPassed=false, with the threshold named', async () => {
    const m = await runner.run({ ...base, rate: 20, k6: { thresholds: { http_req_duration: ['p(99)<0.001'] } } });
    expectConsistent(m);
    expect(m.thresholdsPassed).toBe(false);
    expect(m.thresholdFailures).toEqual(['http_req_duration: p(99)<0.001']);
  });

  it('reports dropped iterations when the rate is far beyond what the VUs can start', async () => {
    const m = await runner.run({ ...base, scenario: 'search', rate: 2_000, k6: { preAllocatedVUs: 1, maxVUs: 1 } });
    expectConsistent(m);
    expect(m.droppedIterations).toBeGreaterThan(0);
    expect(m.achievedRate!).toBeLessThan(m.targetRate!);
    expect(m.thresholdsPassed).toBe(false);
    expect(m.thresholdFailures).toContain('dropped_iterations: count==0');
  });

  it('splits a window over 2 segmented instances: same total as 1 instance, merged count = sum of parts', async () => {
    const plan: K6Window = { ...base, rate: 100, durationS: 2 };
    const one = await runner.runDetailed(plan);
    const two = await runner.runDetailed({ ...plan, k6: { instances: 2 } });
    const sent = (m: WindowMeasurement) => m.requests + m.errors;
    expect(one.instances).toHaveLength(1);
    expect(two.instances).toHaveLength(2);
    expect(Math.abs(sent(two.measurement) - sent(one.measurement))).toBeLessThanOrEqual(2); // one iteration per segment
    for (const inst of two.instances) expect(inst.counts.requests).toBeGreaterThan(0.4 * sent(one.measurement));
    const parts = two.instances.reduce((n, i) => n + i.counts.histogram.totalCount, 0);
    expect(decodeHistogram(two.measurement.histogram).totalCount).toBe(parts);
    expect(two.measurement.requests).toBe(two.instances.reduce((n, i) => n + i.counts.requests, 0));
    expect(two.measurement.generatorCpuUs).toBe(Math.round(two.instances.reduce((n, i) => n + i.cpuUs, 0)));
    expectConsistent(two.measurement);
  });

  it('throws with k6 output when the API is not ready', async () => {
    const err = await runner.run({ ...base, baseUrl: `http://127.0.0.1:${await freePort()}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(K6RunError);
    expect((err as Error).message).toMatch(/exited with code 108[\s\S]*\/ready answered no response/);
  });

  it('stops k6 when the signal aborts', async () => {
    const controller = new AbortController();
    const run = runner.run({ ...base, durationS: 60 }, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 500);
    await expect(run).rejects.toThrow('stop');
  });
});
