import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type EmbeddedPostgres } from '../../bench/db/embedded.ts';
import { readResults } from '../../bench/results/io.ts';
import { childrenOf, orphansAfter, startJobbench } from './run-support.ts';

/**
 * Issue 12's three cases against a PostgreSQL this test owns (never the machine's: it is restarted
 * here), with the harness as a real child process: the run completes, the faulted window is in
 * results.json with its reason, and no process of the run is left behind.
 */
const WINDOW = ['--scenarios', 'get-job', '--rounds', '1', '--warmup', '0.5', '--connections', '4', '--jobs', '300'];

describe('the harness survives faults it did not schedule', () => {
  let db: EmbeddedPostgres;
  let url: string;
  const outs: string[] = [];
  const out = () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobbench-survive-'));
    outs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    db = await startEmbedded({ maxConnections: 100 });
    const admin = new pg.Client(db.url);
    await admin.connect();
    await admin.query('CREATE DATABASE survive');
    await admin.end();
    const u = new URL(db.url);
    u.pathname = '/survive';
    url = u.toString();
  });
  afterAll(async () => {
    for (const dir of outs) rmSync(dir, { recursive: true, force: true });
    await db?.stop();
  });

  it('1: PostgreSQL restarted 3 s into a window fails that window, and the next adapter is measured', async () => {
    const dir = out();
    const marker = randomUUID();
    const run = startJobbench(
      ['run', '--adapters', 'pg-pool,postgres-js', '--duration', '6', ...WINDOW, '--out', dir],
      {
        DATABASE_URL: url,
        JOBBENCH_TEST_MARKER: marker,
      },
    );
    await run.waitFor(/measuring 6 s/);
    await new Promise((r) => setTimeout(r, 3_000));
    await db.pause(); // fast shutdown: "terminating connection due to administrator command"
    await db.resume();
    const { code, stderr } = await run.exited;
    expect(code, stderr).toBe(0);
    const results = await readResults(join(dir, 'results.json'));
    expect(results.status).toBe('complete');
    expect(results.failedWindows, stderr).toHaveLength(1);
    expect(results.failedWindows![0]).toMatchObject({ round: 1, scenario: 'get-job' });
    expect(results.failedWindows![0]!.reason).toMatch(/lost PostgreSQL|terminating connection|Connection terminated/);
    const failedAdapter = results.failedWindows![0]!.adapter;
    expect(results.cells.map((c) => c.adapter)).toEqual(['pg-pool', 'postgres-js'].filter((a) => a !== failedAdapter));
    expect(await orphansAfter(marker)).toEqual([]);
  }, 150_000);

  it('2: the API server SIGKILLed during a window fails that window; a fresh server measures the next', async () => {
    const dir = out();
    const marker = randomUUID();
    const run = startJobbench(
      ['run', '--adapters', 'pg-pool', '--duration', '4', ...WINDOW, '--scenarios', 'get-job,health', '--out', dir],
      { DATABASE_URL: url, JOBBENCH_TEST_MARKER: marker },
    );
    await run.waitFor(/get-job · 4 conn\] measuring 4 s/);
    await new Promise((r) => setTimeout(r, 1_500));
    const servers = childrenOf(run.pid).filter((p) => / serve /.test(p.cmdline));
    expect(servers).toHaveLength(1);
    process.kill(servers[0]!.pid, 'SIGKILL');
    const { code, stderr, ms } = await run.exited;
    expect(code, stderr).toBe(0);
    expect(ms).toBeLessThan(120_000); // it used to hang for good (a loaded 2-core machine: ~75 s)
    const results = await readResults(join(dir, 'results.json'));
    expect(results.failedWindows).toEqual([
      expect.objectContaining({
        adapter: 'pg-pool',
        scenario: 'get-job',
        reason: expect.stringMatching(/SIGKILL|is gone/),
      }),
    ]);
    expect(results.cells.map((c) => c.scenario)).toEqual(['health']);
    expect(stderr).toMatch(/starting a fresh one/);
    expect(await orphansAfter(marker)).toEqual([]);
  }, 150_000);

  it('3: DATABASE_URL pointing at nothing is one line and exit 2, password redacted', async () => {
    const run = startJobbench(['run', '--adapters', 'pg-pool', ...WINDOW, '--duration', '1'], {
      DATABASE_URL: 'postgres://u:s3cr3t-pw@127.0.0.1:1/x',
    });
    const { code, stderr } = await run.exited;
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^jobbench run: JOBBENCH_[A-Z_]+: cannot reach the database at .*127\.0\.0\.1:1/);
    expect(stderr).not.toMatch(/s3cr3t-pw|\n\s+at /);
  });

  for (const [name, signals, exitCode] of [
    ['SIGTERM', ['SIGTERM'], 143],
    ['SIGINT', ['SIGINT'], 130],
    ['a second SIGINT', ['SIGINT', 'SIGINT'], 130],
  ] as const) {
    it(`exits ${exitCode} within seconds on ${name} during a window, leaving no process behind`, async () => {
      const dir = out();
      const marker = randomUUID();
      const run = startJobbench(['run', '--adapters', 'pg-pool', '--duration', '20', ...WINDOW, '--out', dir], {
        DATABASE_URL: url,
        JOBBENCH_TEST_MARKER: marker,
      });
      await run.waitFor(/measuring 20 s/);
      await new Promise((r) => setTimeout(r, 1_000));
      const t0 = Date.now();
      for (const s of signals) {
        run.kill(s);
        await new Promise((r) => setTimeout(r, 200));
      }
      const { code, stderr } = await run.exited;
      expect(code, stderr).toBe(exitCode);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await orphansAfter(marker)).toEqual([]);
    }, 120_000);
  }
});
