import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { BIN, childEnv, runCli } from '../cli/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { watchDescendants } from '../support/process-tree.ts';

// The password of DATABASE_URL never shows: not in results, reports, stdout, stderr, error messages, nor
// in the command line of any process a run starts (/proc/<pid>/cmdline, readable by every local user).
// A real smoke-sized `jobbench run`; the machine's PostgreSQL uses trust auth on 127.0.0.1, so it accepts
// the URL with any password.

const out = mkdtempSync(join(tmpdir(), 'jobbench-secrets-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// A database of this file's own: one benchmark per database at a time (interrupt.test.ts runs beside it).
let db: TestDatabase | undefined;
beforeAll(async () => {
  if (inject('databaseKind') === 'external') db = await createTestDatabase();
});
afterAll(async () => db?.drop());

/** The URL of this file's database with `secret` as its password. */
function urlWithPassword(secret: string): string {
  const u = new URL(db!.url);
  u.password = secret;
  return u.toString();
}

describe.skipIf(inject('databaseKind') !== 'external' || process.platform !== 'linux')(
  'a password in DATABASE_URL',
  () => {
    it('appears in no output file, stream or child command line of a real run', { timeout: 120_000 }, async () => {
      const secret = `pw-${randomBytes(9).toString('hex')}`;
      const dir = join(out, 'run');
      const args = ['run', '--profile', 'smoke', '--adapters', 'pg-pool', '--duration', '1', '--warmup', '0'];
      const child = spawn(process.execPath, [BIN, ...args, '--out', dir], {
        env: childEnv({ DATABASE_URL: urlWithPassword(secret) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const watch = watchDescendants(child.pid!, 25);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      watch.stop();

      expect(code, stderr).toBe(0);
      const files = filesUnder(dir);
      expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
        expect.arrayContaining(['report.html', 'report.md', 'results.json']),
      );
      for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
      // The server (jobbench serve), the load tool's workers: at least one child was seen.
      expect(watch.seen.size).toBeGreaterThan(0);
      for (const [pid, cmdlines] of watch.seen)
        for (const cmdline of cmdlines) expect(cmdline, `pid ${pid}`).not.toContain(secret);
      // The check saw the server it must see: `jobbench serve`, started with the URL in its environment.
      expect([...watch.seen.values()].some((c) => [...c].some((line) => line.includes(' serve ')))).toBe(true);
    });

    it('appears in no message when the database is unreachable', { timeout: 60_000 }, async () => {
      const secret = `pw-${randomBytes(9).toString('hex')}`;
      for (const args of [
        [
          'run',
          '--profile',
          'smoke',
          '--adapters',
          'pg-pool',
          '--duration',
          '1',
          '--warmup',
          '0',
          '--out',
          join(out, 'x'),
        ],
        ['serve', '--adapter', 'pg-pool', '--port', '0', '--db', 'external'],
        ['db', 'up', '--db', 'external'],
      ]) {
        const r = await runCli(args, { env: { DATABASE_URL: `postgresql://someone:${secret}@127.0.0.1:1/nowhere` } });
        expect(r.code, `${args[0]}: ${r.stderr}`).not.toBe(0);
        expect(r.stderr.length, args[0]).toBeGreaterThan(0);
        expect(r.stdout + r.stderr, args[0]).not.toContain(secret);
      }
    });
  },
);
