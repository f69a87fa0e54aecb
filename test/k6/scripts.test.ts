/** The k6 script itself, run with the real k6 binary as a user would, against the real API. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/host/free-port.ts';
import { K6_SCRIPT } from '../../bench/runners/k6/runner.ts';
import { runK6Process } from '../../bench/runners/k6/process.ts';
import { SCENARIO_NAMES } from '../../scenarios/catalog.ts';
import { EXECUTORS } from '../../scenarios/k6/load-shapes.ts';
import { JOBS, K6_BIN, startApi, type Api } from './support.ts';

let dir = '';

function k6Run(env: Record<string, string>) {
  const args = ['run', '--quiet', '--no-color', '--no-usage-report', '--address', ''];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  return runK6Process(K6_BIN!, [...args, K6_SCRIPT], { PATH: process.env.PATH });
}

describe.skipIf(!K6_BIN)('scenarios/k6/jobbench.ts (real k6)', () => {
  let api: Api;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k6-scripts-test-'));
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const variants = SCENARIO_NAMES.flatMap((scenario) => EXECUTORS.map((executor) => ({ scenario, executor })));
  it.each(variants)('runs $scenario with $executor for 2 s and exits 0', async ({ scenario, executor }) => {
    const summaryPath = join(dir, `${scenario}-${executor}.json`);
    const shape: Record<string, string> = executor === 'constant-vus' ? { VUS: '2' } : { RATE: '20' };
    const r = await k6Run({
      SCENARIO: scenario,
      EXECUTOR: executor,
      ...shape,
      DURATION: '2',
      BASE_URL: api.target.baseUrl,
      JOB_COUNT: String(JOBS),
      SUMMARY_PATH: summaryPath,
    });
    expect(r.exitCode, [...r.stderrTail, ...r.stdoutTail].join('\n')).toBe(0);
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
    expect(summary.metrics.http_reqs.values.count).toBeGreaterThan(1); // setup's /ready plus the load
    expect(summary.metrics.http_req_failed.values.rate).toBe(0);
    expect(Object.keys(summary.metrics.http_req_duration.thresholds)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^p\(95\)</), expect.stringMatching(/^p\(99\)</)]),
    );
    expect(summary.metrics.dropped_iterations?.values.count ?? 0).toBe(0);
    expect(r.window).toBeDefined(); // both window markers were logged
  });

  it('exits 99 when an SLO threshold is breached', async () => {
    const r = await k6Run({
      SCENARIO: 'health',
      VUS: '1',
      DURATION: '1',
      BASE_URL: api.target.baseUrl,
      THRESHOLDS: '{"http_req_duration":["p(99)<0.001"]}',
    });
    expect(r.exitCode).toBe(99);
    expect(r.stderrTail.join('\n')).toMatch(/thresholds on metrics 'http_req_duration' have been crossed/);
  });

  it('fails fast in setup() when /ready does not answer 200', async () => {
    const r = await k6Run({
      SCENARIO: 'health',
      VUS: '1',
      DURATION: '30',
      BASE_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(r.exitCode).toBe(108); // k6's "script aborted"
    expect(r.stderrTail.join('\n')).toMatch(/\/ready answered no response/);
    expect(r.window).toBeUndefined(); // the load never started
  });

  it('exits with a script error and says why when __ENV is wrong', async () => {
    const r = await k6Run({ SCENARIO: 'nope' });
    expect(r.exitCode).toBe(107);
    expect(r.stderrTail.join('\n')).toMatch(/SCENARIO must be one of/);
  });
});
