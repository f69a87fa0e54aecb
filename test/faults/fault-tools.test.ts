import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { findWrk } from '../../bench/runners/wrk/runner.ts';
import { locateTool } from '../../bench/host/tool-bin.ts';
import { K6_BIN } from '../k6/support.ts';
import { orphansAfter, startJobbench } from './run-support.ts';

const toxiproxy = locateTool('toxiproxy', process.env);
const TOOLS = [
  { tool: 'k6', missing: !K6_BIN },
  { tool: 'wrk', missing: !findWrk() },
] as const;
const FAULT = 'db-down@1s-2s';

/**
 * `jobbench run --fault` with the load tools other than autocannon: the fault is applied at its offset
 * from the tool's own start, and the per-second timeline and resilience figures come from k6's
 * per-request output and from wrk's Lua callback.
 */
describe.each(TOOLS)('jobbench run --tool $tool --fault', ({ tool, missing }) => {
  const skip = missing || 'missing' in toxiproxy;
  const dir = mkdtempSync(join(tmpdir(), `jobbench-fault-${tool}-`));
  const marker = randomUUID();
  let results: Results;
  let run: Awaited<ReturnType<typeof startJobbench>['exited']>;

  beforeAll(async () => {
    if (skip) return;
    const args = ['run', '--db', 'embedded', '--tool', tool, '--adapters', 'pg-pool', '--scenarios', 'get-job'];
    args.push('--duration', '5', '--warmup', '1', '--rounds', '1', '--connections', '4', '--jobs', '300');
    args.push('--no-ceilings', '--fault', FAULT, '--out', dir);
    run = await startJobbench(args, { DATABASE_URL: undefined, JOBBENCH_TEST_MARKER: marker }).exited;
    results = await readResults(join(dir, 'results.json'));
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(skip)('faults the window at its offset from the load start and records who failed when', () => {
    const cell = results.cells[0]!;
    // k6 checks the scenario's SLOs as thresholds: a fault breaks them, and `run` then exits 1
    expect(run.code, run.stderr).toBe(cell.sloPassed === false ? 1 : 0);
    expect(results.failedWindows ?? []).toEqual([]);
    expect([cell.tool, cell.fault]).toEqual([tool, FAULT]);
    const r = cell.rounds[0]!;
    const events = r.faultEvents!;
    expect(events.map((e) => e.action)).toEqual(['proxy disabled', 'proxy enabled']);
    expect(Math.abs(events[0]!.atMs - 1000)).toBeLessThan(300); // onStart came from the tool, not its end
    const seconds = r.timeline!;
    expect(seconds.length).toBeGreaterThanOrEqual(5);
    const total = seconds.reduce((n, s) => n + s.total, 0);
    // k6: every request is a response or an error; wrk: its timeouts are late responses, counted once
    expect(total).toBe(tool === 'wrk' ? r.requests + r.errors - r.timeouts : r.requests + r.errors);
    expect(r.resilience!.requestsTotal).toBe(total);
    expect(r.resilience!.requestsNoAnswer).toBe(0);
    expect(r.resilience!.requestsFailed).toBeGreaterThan(0);
    // Before the fault: none, up to two allowances. The fault may start up to 300 ms early (checked
    // above): its failures from atMs on belong to second 0. wrk counts per 100 ms bucket of the wall clock,
    // placed by its middle (≤ 50 ms off, docs/readme/faults.md). Failures come fastest in the outage's
    // first milliseconds (no pool wait yet), so the allowance is twice the outage's mean rate.
    const earlyMs = Math.max(0, 1000 - events[0]!.atMs) + (tool === 'wrk' ? 50 : 0);
    const misplaced = Math.ceil((2 * seconds[1]!.failed * earlyMs) / 1000);
    expect(seconds[0]!.failed).toBeLessThanOrEqual(misplaced);
    expect(seconds[0]!.failed).toBeLessThan(seconds[1]!.failed / 2); // a fault placed at 0 fails this
    expect(seconds[1]!.byResult['503'] ?? 0).toBeGreaterThan(0); // the API answers 503 while cut off
    expect(r.resilience!.firstFailedMs!).toBeGreaterThan(900);
    expect(r.resilience!.timeToRecoverMs).not.toBeNull();
  });

  it.skipIf(skip)('shows the resilience section and leaves no process behind', async () => {
    expect(run.stdout).toMatch(new RegExp(`Resilience: get-job · ${tool} · 4 connections · fault ${FAULT}`));
    expect(await orphansAfter(marker)).toEqual([]);
  });
});
