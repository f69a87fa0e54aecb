import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import {
  HARNESS_APPLICATION_NAMES,
  HARNESS_APPLICATION_PATTERNS,
  runLockApplicationName,
  targetApplicationName,
} from '../../shared/application-names.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('application names are defined once (shared/application-names.ts)', () => {
  it('no TypeScript source outside shared/ spells a jobbench:<name> application name', () => {
    // Other jobbench:* strings are markers and IPC message types, not connection names.
    const NOT_CONNECTIONS = /jobbench:(wrk-started|wrk-done|window-end|cluster-[a-z]+|worker-report)/;
    const hits = execFileSync(
      'git',
      ['grep', '-nE', 'application_name|applicationName', '--', 'bench', 'src', 'cli', 'scenarios'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((line) => /['"`]jobbench:[a-z$]/.test(line) && !NOT_CONNECTIONS.test(line));
    expect(hits).toEqual([]);
  });

  it('the FastAPI targets name their connections as targetApplicationName does', () => {
    const config = readFileSync(`${ROOT}/targets/fastapi/config.py`, 'utf8');
    expect(config).toContain('return f"jobbench:{self.target}"');
    expect(targetApplicationName('fastapi-asyncpg')).toBe('jobbench:fastapi-asyncpg');
  });

  it("PostgreSQL's LIKE matches every harness name, the run lock of any pid, and no target", async () => {
    const client = new pg.Client(inject('databaseUrl'));
    await client.connect();
    try {
      const matches = async (name: string) =>
        (await client.query<{ m: boolean }>('SELECT $1 LIKE ANY($2) AS m', [name, [...HARNESS_APPLICATION_PATTERNS]]))
          .rows[0]!.m;
      for (const name of HARNESS_APPLICATION_NAMES) expect(await matches(name), name).toBe(true);
      expect(await matches(runLockApplicationName(12345))).toBe(true);
      for (const target of ['pg-pool', 'postgres-js', 'fastapi-psycopg2', 'mine'])
        expect(await matches(targetApplicationName(target)), target).toBe(false);
      expect(await matches('jobbench_sampler')).toBe(false); // "_" is not a wildcard here
    } finally {
      await client.end();
    }
  });
});
