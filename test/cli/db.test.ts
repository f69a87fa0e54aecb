import { mkdtempSync, rmSync, statSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_UP_STATE_FILE } from '../../bench/db/db-up-state.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { runCli, startCli, withPassword, type LongRunning } from './support.ts';

let db: TestDatabase;
const running = new Set<LongRunning>();
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop('SIGKILL')));
  await db?.drop();
});

describe('jobbench db up with DATABASE_URL', () => {
  it('migrates and seeds it, prints the URL with the password redacted, and exits 0', { timeout: 60_000 }, async () => {
    const { url, password } = withPassword(db.url);
    const res = await runCli(['db', 'up', '--jobs', '50', '--seed', '7'], { env: { DATABASE_URL: url } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(url.replace(`:${encodeURIComponent(password)}@`, ':***@'));
    expect(res.stdout + res.stderr).not.toContain(password);
    const [row] = await db.query<{ n: number; seed: number }>(
      'SELECT (SELECT count(*)::int FROM jobs) AS n, (SELECT seed FROM jobbench_seed_state) AS seed',
    );
    expect(row).toEqual({ n: 50, seed: 7 });
  });

  it('prints the full URL only with --print-url, with a warning on stderr', { timeout: 60_000 }, async () => {
    const { url } = withPassword(db.url);
    const res = await runCli(['db', 'up', '--jobs', '50', '--seed', '7', '--print-url'], {
      env: { DATABASE_URL: url },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(url);
    expect(res.stderr).toContain('warning: the URL below contains the password');
    expect(res.stderr).toContain('already seeded');
  });

  it('db status reports the database, its version and its rows', { timeout: 60_000 }, async () => {
    const { url, password } = withPassword(db.url);
    const res = await runCli(['db', 'status', '--json'], { env: { DATABASE_URL: url } });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      up: true,
      from: 'DATABASE_URL',
      jobs: 50,
      seed: 7,
      version: expect.any(String),
    });
    expect(res.stdout).not.toContain(password);
  });

  it('exits 2 on a bad flag or subcommand', async () => {
    expect((await runCli(['db', 'up', '--jobs', 'many'])).code).toBe(2);
    expect((await runCli(['db', 'sideways'])).code).toBe(2);
  });
});

describe('jobbench db up with an embedded database', () => {
  it('stays up, lets serve in the same folder reuse it, and cleans up on SIGTERM', { timeout: 120_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jobbench-dbup-test-'));
    try {
      const status = await runCli(['db', 'status'], { cwd });
      expect(status.code).toBe(1);

      const up = startCli(['db', 'up', '--jobs', '30', '--json'], { cwd });
      running.add(up);
      const info = await up.firstJsonLine();
      expect(info).toMatchObject({ kind: 'embedded', jobs: 30, url: expect.stringContaining(':***@127.0.0.1:') });
      await up.stderrContains('press Ctrl-C to stop');
      const stateFile = join(cwd, DB_UP_STATE_FILE);
      expect(statSync(stateFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ pid: up.child.pid, kind: 'embedded' });

      const second = await runCli(['db', 'up', '--jobs', '30'], { cwd });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(
        `jobbench db up: JOBBENCH_CLI_ERR_DB_ALREADY_UP: a database is already up (pid ${up.child.pid}): postgresql://postgres:***@`,
      );

      const serve = startCli(['serve', '--adapter', 'pg-pool', '--port', '0', '--json'], { cwd });
      running.add(serve);
      const ready = await serve.firstJsonLine();
      expect(serve.output().stderr).toContain('using the database of `jobbench db up`');
      const stats = (await (await fetch(`${ready.url}/jobs/stats`)).json()) as { total: number };
      expect(stats.total).toBe(30);
      expect((await serve.stop('SIGTERM')).code).toBe(0);
      running.delete(serve);

      const upStatus = await runCli(['db', 'status', '--json'], { cwd });
      expect(upStatus.code).toBe(0);
      expect(JSON.parse(upStatus.stdout)).toMatchObject({ up: true, pid: up.child.pid, jobs: 30 });

      const down = await runCli(['db', 'down'], { cwd });
      expect(down.code).toBe(0);
      const exit = await up.exited;
      running.delete(up);
      expect(exit.code).toBe(0);
      expect(existsSync(stateFile)).toBe(false);
      expect((await runCli(['db', 'status'], { cwd })).code).toBe(1);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
