import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILDREN_DIR, reapChildren } from '../../bench/host/children.ts';
import { startTicksOf } from '../../bench/host/procfs.ts';
import { processesWith, startJobbench } from '../faults/run-support.ts';
import { runCli } from '../cli/support.ts';
import { alive } from '../support/process-tree.ts';

// SIGKILL cannot be caught. After a kill -9 of jobbench: the children it wrote (jobbench serve, the
// FastAPI wrapper) stop by themselves (their stdin pipe closes); the foreign ones (Toxiproxy, PgBouncer,
// wrk, k6) are listed in <tmp>/jobbench-children/<pid>.json and the next jobbench kills them.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}
/** A process that is dead by the time this returns: its pid is a dead owner. */
const deadPid = () => spawnSync('true').pid!;
/** `sleep 600` in a process group of its own, as jobbench starts its foreign children. */
// A registry folder of its own: a jobbench started by a test running in parallel reaps the shared one.
const REGISTRY = join(mkdtempSync(join(tmpdir(), 'jobbench-kill9-registry-')), basename(CHILDREN_DIR));
afterAll(() => rmSync(dirname(REGISTRY), { recursive: true, force: true }));

function sleeper(): number {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}
function writeRegistry(
  owner: { pid: number; startTicks: number | null },
  children: { pid: number; startTicks: number | null }[],
) {
  mkdirSync(REGISTRY, { recursive: true });
  const path = join(REGISTRY, `${owner.pid}.json`);
  writeFileSync(path, JSON.stringify({ owner, children: children.map((c) => ({ ...c, name: 'sleep' })) }));
  return path;
}

describe('the children registry (reapChildren)', () => {
  it('kills the group of a child whose jobbench died, and removes the file', async () => {
    const pid = sleeper();
    const owner = deadPid();
    const path = writeRegistry({ pid: owner, startTicks: 1 }, [{ pid, startTicks: startTicksOf(pid) }]);
    expect(reapChildren(REGISTRY)).toContain(`sleep (pid ${pid}, of jobbench pid ${owner})`);
    expect(await until(() => !alive(pid), 2_000)).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('leaves the children of a jobbench that still runs', () => {
    const pid = sleeper();
    const path = writeRegistry({ pid: process.pid, startTicks: startTicksOf(process.pid) }, [
      { pid, startTicks: startTicksOf(pid) },
    ]);
    try {
      expect(reapChildren(REGISTRY)).toEqual([]);
      expect(alive(pid)).toBe(true);
    } finally {
      rmSync(path, { force: true });
      process.kill(-pid, 'SIGKILL');
    }
  });

  it('never kills a process that only reuses a recorded pid (another start time)', () => {
    const pid = sleeper();
    const path = writeRegistry({ pid: deadPid(), startTicks: 1 }, [{ pid, startTicks: startTicksOf(pid)! - 1 }]);
    try {
      expect(reapChildren(REGISTRY)).toEqual([]);
      expect(alive(pid)).toBe(true);
      expect(existsSync(path)).toBe(false);
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });
});

const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const wrk = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!wrk)('kill -9 of jobbench run in the middle of a window', () => {
  const name = `jobbench_kill9_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-kill9-'));
  // Its own temp folder, so its registry is not reaped by a jobbench of another test running in parallel.
  const privateTmp = mkdtempSync(join(tmpdir(), 'jobbench-kill9-tmp-'));
  const admin = async (sql: string) => {
    const c = new pg.Client(ADMIN_URL);
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  beforeAll(() => admin(`CREATE DATABASE ${name}`));
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(privateTmp, { recursive: true, force: true });
  });

  // wrk, silent until its end, outlives the harness (Toxiproxy, which logs every connection to its pipe,
  // may die of SIGPIPE first): the load tool shows the registry at work.
  it('the server stops by itself within seconds; the next jobbench stops wrk; nothing is left', async () => {
    const marker = randomUUID();
    const args = ['run', '--adapters', 'pg-pool', '--scenarios', 'get-job', '--rounds', '1', '--duration', '30'];
    args.push('--warmup', '0', '--no-ceilings', '--connections', '2', '--jobs', '300', '--out', dir);
    args.push('--tool', 'wrk');
    const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
    const run = startJobbench(args, { DATABASE_URL: url, JOBBENCH_TEST_MARKER: marker, TMPDIR: privateTmp });
    const of = (re: RegExp) => processesWith(marker).filter((p) => re.test(p.cmdline));
    // The measured window is on once the load generator runs beside the server and the proxy.
    const measuring = await until(() => [/^\S*wrk /, /jobbench\.js serve/].every((re) => of(re).length > 0), 120_000);
    expect(measuring, run.stderr()).toBe(true);
    await sleep(1_000);
    const tool = of(/^\S*wrk /)[0]!;
    run.kill('SIGKILL');
    await run.exited;

    // jobbench serve goes by itself (its stdin pipe closed).
    expect(await until(() => of(/jobbench\.js serve/).length === 0, 8_000)).toBe(true);
    // wrk cannot know: it runs until the next jobbench, which finds it in the dead run's registry.
    expect(alive(tool.pid)).toBe(true);
    const registry = join(privateTmp, basename(CHILDREN_DIR), `${run.pid}.json`);
    const listed = JSON.parse(readFileSync(registry, 'utf8')).children.map((c: { name: string }) => c.name);
    expect(listed.sort()).toEqual(['jobbench serve --adapter pg-pool', 'wrk']); // serve: listed too, as a backstop

    const next = await runCli(['--help'], { env: { TMPDIR: privateTmp } });
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`jobbench: stopped wrk (pid ${tool.pid}, of jobbench pid ${run.pid})`);
    expect(next.stderr).not.toMatch(/stopped jobbench serve/); // it had gone by itself: nothing to kill
    expect(await until(() => processesWith(marker).length === 0, 3_000)).toBe(true);
    expect(existsSync(registry)).toBe(false);
  }, 180_000);
});

const fastapiReady =
  spawnSync('/usr/bin/python3', ['-c', 'import fastapi, uvicorn, asyncpg'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!fastapiReady)('the FastAPI wrapper when its jobbench dies (kill -9)', () => {
  it('stops uvicorn and its workers within seconds', async () => {
    const marker = randomUUID();
    // A stand-in for jobbench: starts the target as bench/targets/fastapi.ts does, holds its stdin, then dies.
    const harness = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('child_process').spawn('/usr/bin/python3', ['-m', 'targets.fastapi', '--driver', 'asyncpg', '--port', '0', '--workers', '2'], { cwd: ${JSON.stringify(ROOT)}, detached: true, stdio: ['pipe', 'ignore', 'ignore'] }); setInterval(() => {}, 1000);`,
      ],
      {
        env: { ...process.env, DATABASE_URL: ADMIN_URL, JOBBENCH_EXIT_WITH_STDIN: '1', JOBBENCH_TEST_MARKER: marker },
        stdio: 'ignore',
      },
    );
    const pythons = () => processesWith(marker).filter((p) => p.pid !== harness.pid);
    // The supervisor and its two workers (plus multiprocessing's helper).
    expect(await until(() => pythons().length >= 3, 60_000)).toBe(true);
    harness.kill('SIGKILL');
    expect(await until(() => pythons().length === 0, 12_000), JSON.stringify(pythons())).toBe(true);
  }, 90_000);
});
