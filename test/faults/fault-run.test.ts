import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { locateTool } from '../../bench/host/tool-bin.ts';
import { orphansAfter, startJobbench } from './run-support.ts';

const tool = locateTool('toxiproxy', process.env);
const FAULTS = ['db-restart@2s', 'db-down@1s-3s', 'server-kill@2s', 'latency=40ms@1s-2s,reset@3s'];

/** `jobbench run --fault …` on an embedded PostgreSQL (restarted by the run itself), Toxiproxy in between. */
describe.skipIf('missing' in tool)('jobbench run --fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-fault-run-'));
  const marker = randomUUID();
  let results: Results;
  let run: Awaited<ReturnType<typeof startJobbench>['exited']>;

  beforeAll(async () => {
    const args = ['run', '--db', 'embedded', '--adapters', 'pg-pool', '--scenarios', 'get-job', '--duration', '5'];
    args.push('--warmup', '0.5', '--rounds', '1', '--connections', '4', '--jobs', '300', '--out', dir);
    for (const f of FAULTS) args.push('--fault', f);
    run = await startJobbench(args, { DATABASE_URL: undefined, JOBBENCH_TEST_MARKER: marker }).exited;
    results = await readResults(join(dir, 'results.json'));
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('completes with one cell per --fault, the fault in its identity', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(results.status).toBe('complete');
    expect(results.failedWindows ?? []).toEqual([]);
    expect(results.cells.map((c) => c.fault).sort()).toEqual([...FAULTS].sort());
    expect(results.config['faults']).toEqual(FAULTS);
  });

  it('applies every fault at its offset and logs it without error', () => {
    for (const cell of results.cells) {
      const events = cell.rounds[0]!.faultEvents!;
      expect(events.length, cell.fault).toBeGreaterThan(0);
      expect(events.filter((e) => e.error)).toEqual([]);
    }
    const down = results.cells.find((c) => c.fault === 'db-down@1s-3s')!.rounds[0]!.faultEvents!;
    expect(down.map((e) => e.action)).toEqual(['proxy disabled', 'proxy enabled']);
    expect(Math.abs(down[0]!.atMs - 1000)).toBeLessThan(300);
  });

  it('records a per-second timeline and the resilience figures; every request got an answer', () => {
    const round = (fault: string) => results.cells.find((c) => c.fault === fault)!.rounds[0]!;
    for (const cell of results.cells) {
      const r = cell.rounds[0]!;
      expect(r.timeline!.length).toBeGreaterThanOrEqual(5);
      // A killed server closes its sockets: autocannon reconnects without an error for the request that was
      // in flight (one per connection at most). Under database faults the API must answer every request.
      if (cell.fault === 'server-kill@2s') expect(r.resilience!.requestsNoAnswer).toBeLessThanOrEqual(4);
      else expect(r.resilience!.requestsNoAnswer, cell.fault).toBe(0);
      expect(r.resilience!.requestsTotal).toBe(r.timeline!.reduce((n, s) => n + s.total, 0));
    }
    const down = round('db-down@1s-3s');
    expect(down.resilience!.requestsFailed).toBeGreaterThan(0);
    // The API comes back by itself once the proxy is on again (at 3 s): the window's last second [4 s, 5 s)
    // answers requests with success. Not timeToRecoverMs: that also asks for half the throughput of the seconds before the
    // fault, which a machine busy with the rest of the suite may not give within the 2 s left of this
    // window (test/faults/timeline.test.ts checks that rule on fixed outcomes).
    expect(down.timeline!.find((s) => s.startS === 4)?.ok, JSON.stringify(down.timeline)).toBeGreaterThan(0);
    const killed = round('server-kill@2s');
    expect(killed.resilience!.timeToRecoverMs).toBeNull(); // nobody restarts a server inside its window
    expect(killed.timeline!.slice(3).every((s) => s.ok === 0)).toBe(true);
  });

  it('shows the resilience section in the terminal and report.md', () => {
    expect(run.stdout).toMatch(/Resilience: get-job · autocannon · 4 connections · fault db-down@1s-3s/);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/## Resilience under faults/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<section id="resilience">[\s\S]*<svg/);
  });

  it('leaves no process behind: server, load tool, Toxiproxy, PostgreSQL', async () => {
    expect(await orphansAfter(marker)).toEqual([]);
  });
});

describe('jobbench run --fault refuses what it cannot do', () => {
  it('a bad spec: one line, exit 2, what is valid', async () => {
    const { code, stderr } = await startJobbench(['run', '--duration', '5', '--fault', 'db-restart@9s'], {}).exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^jobbench run: JOBBENCH_CLI_ERR_FAULT: --fault "db-restart@9s": clears at 9 s, not before the measured window ends at 5 s; valid: /,
    );
  });

  it('db-restart of a database it did not start (DATABASE_URL), with the reason', async () => {
    const { code, stderr } = await startJobbench(['run', '--duration', '5', '--fault', 'db-restart@2s'], {
      DATABASE_URL: 'postgres://u@127.0.0.1:1/x',
    }).exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/this PostgreSQL \(DATABASE_URL\) was not started by jobbench .* add --allow-db-restart/);
  });
});
