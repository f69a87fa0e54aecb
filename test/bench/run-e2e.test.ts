import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultTool } from '../../bench/runners/default-tool.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));

function jobbench(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; pid: number }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr, pid: child.pid! }));
  });
}

describe('jobbench run, end to end on real PostgreSQL', () => {
  let db: TestDatabase;
  let out: string;
  let results: Results;
  let run: { code: number | null; stdout: string; stderr: string; pid: number };

  beforeAll(async () => {
    db = await createTestDatabase();
    out = mkdtempSync(join(tmpdir(), 'jobbench-run-e2e-'));
    run = await jobbench(
      [
        'run',
        '--adapters',
        'pg-pool,postgres-js',
        '--scenarios',
        'get-job',
        '--rounds',
        '2',
        '--duration',
        '1.5',
        '--warmup',
        '0.5',
        '--connections',
        '4',
        '--jobs',
        '500',
        '--out',
        out,
      ],
      { DATABASE_URL: db.url },
    );
    results = await readResults(join(out, 'results.json'));
  }, 180_000);

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('exits 0 and prints one table and the paths of the files', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`get-job · ${defaultTool()} · 4 connections`));
    expect(run.stdout).toMatch(/results: .*results\.json/);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  it('writes a complete results file with a cell per adapter and a round per round', () => {
    expect(results.status).toBe('complete');
    expect(results.cells.map((c) => c.adapter).sort()).toEqual(['pg-pool', 'postgres-js']);
    for (const cell of results.cells) {
      expect(cell.scenario).toBe('get-job');
      expect(cell.tool).toBe(defaultTool()); // autocannon (README: which load tool by default)
      expect(cell.rounds.map((r) => r.round)).toEqual([1, 2]);
    }
  });

  it('keeps counts consistent: requests = the sum of status codes, all 200 here', () => {
    for (const round of results.cells.flatMap((c) => c.rounds)) {
      const sum = Object.values(round.statusCodes).reduce((a, b) => a + b, 0);
      expect(round.requests).toBeGreaterThan(0);
      expect(sum).toBe(round.requests);
      expect(round.statusCodes['200']).toBe(round.requests);
      expect(round.non2xx).toBe(0);
    }
  });

  it('orders latencies p50 <= p90 <= p95 <= p99 <= p99.9 <= max', () => {
    for (const { latencyUs: l } of results.cells.flatMap((c) => c.rounds)) {
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p50).toBeLessThanOrEqual(l.p90);
      expect(l.p90).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.p99);
      expect(l.p99).toBeLessThanOrEqual(l.p999);
      expect(l.p999).toBeLessThanOrEqual(l.max);
    }
  });

  it('records server-side evidence: CPU per request, RSS, backends with the adapter name, generator CPU', () => {
    for (const cell of results.cells) {
      for (const round of cell.rounds) {
        expect(round.serverCpuUsPerRequest).toBeGreaterThan(0);
        expect(round.serverRssBytes).toBeGreaterThan(0);
        expect(round.dbBackends).toBeGreaterThan(0);
        expect(round.dbBackends).toBeLessThanOrEqual(10); // pool max 10, and only this database's backends count
        expect(round.generatorCpuPercent).toBeGreaterThan(0);
      }
    }
  });

  it('records provenance: redacted command, environment, versions', () => {
    expect(results.command.slice(0, 2)).toEqual(['jobbench', 'run']);
    expect(results.environment.cpus).toBeGreaterThan(0);
    expect(results.environment.postgres).toMatch(/^\d+/);
    expect(Object.keys(results.environment.drivers)).toEqual(
      expect.arrayContaining(['pg', 'postgres', 'kysely', 'fastify', 'autocannon']),
    );
  });

  it('re-renders the same tables from the file with jobbench report', async () => {
    const report = await jobbench(['report', join(out, 'results.json')], {});
    expect(report.code).toBe(0);
    const table = (text: string) => text.slice(text.indexOf('get-job'), text.indexOf('\n\n', text.indexOf('get-job')));
    expect(table(report.stdout)).toBe(table(run.stdout));
  });
});

describe('jobbench run, interrupted', () => {
  it('on Ctrl-C writes what it measured as "aborted", exits 130 and stops the embedded database', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jobbench-run-abort-'));
    let signalled = false;
    const run = await jobbench(
      [
        'run',
        '--adapters',
        'pg-pool,kysely',
        '--scenarios',
        'health',
        '--rounds',
        '3',
        '--duration',
        '1',
        '--warmup',
        '0',
        '--connections',
        '2',
        '--jobs',
        '100',
        '--db',
        'embedded',
        '--out',
        out,
      ],
      { DATABASE_URL: '' },
      (stderr, child) => {
        // Interrupt once the first window has been measured, in the middle of the run.
        if (!signalled && /\] \d+ req\/s/.test(stderr)) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(signalled).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.status).toBe('aborted');
    expect(results.cells.length).toBeGreaterThanOrEqual(1);
    // Its embedded database's folder (bench/db/embedded.ts names the owner pid inside) is gone.
    const owned = readdirSync(tmpdir())
      .filter((n) => n.startsWith('jobbench-pgdata-'))
      .filter((n) => {
        try {
          return readFileSync(join(tmpdir(), n, 'jobbench-owner.pid'), 'utf8') === String(run.pid);
        } catch {
          return false;
        }
      });
    expect(owned).toEqual([]);
    expect(run.stderr).toMatch(/starting embedded PostgreSQL/);
    rmSync(out, { recursive: true, force: true });
  }, 180_000);
});
