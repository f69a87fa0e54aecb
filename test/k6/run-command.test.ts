import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { K6_BIN } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));

function jobbench(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!K6_BIN)('jobbench run --tool k6 (real k6, real API)', () => {
  let db: TestDatabase;
  let out: string;
  const common = [
    '--tool',
    'k6',
    '--adapters',
    'pg-pool',
    '--scenarios',
    'get-job',
    '--rounds',
    '1',
    '--duration',
    '2',
    '--warmup',
    '1',
    '--jobs',
    '500',
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    out = mkdtempSync(join(tmpdir(), 'jobbench-k6-run-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('runs the open model at a fixed rate and records target and achieved rates', async () => {
    const dir = join(out, 'rate');
    const run = await jobbench(['run', ...common, '--rate', '40', '--out', dir], { DATABASE_URL: db.url, K6_BIN });
    expect(run.code, run.stderr).toBe(0);
    const results = await readResults(join(dir, 'results.json'));
    const cell = results.cells[0]!;
    expect(cell.tool).toBe('k6');
    expect(cell.targetRate).toBe(40);
    expect(cell.droppedIterations).toBe(0);
    expect(cell.invalidForLatency).toBe(false);
    expect(cell.sloPassed).toBe(true);
    expect(cell.achievedRate).toBeGreaterThan(40 * 0.9);
    expect(cell.rounds[0]!.requests).toBe(Object.values(cell.rounds[0]!.statusCodes).reduce((a, b) => a + b, 0));
  });

  it('reports a cell that breaches an impossible SLO and exits 1', async () => {
    const dir = join(out, 'slo');
    const run = await jobbench(
      ['run', ...common, '--rate', '20', '--k6-thresholds', '{"http_req_duration":["p(99)<0.001"]}', '--out', dir],
      { DATABASE_URL: db.url, K6_BIN },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/SLO failed/);
    const results = await readResults(join(dir, 'results.json'));
    expect(results.cells[0]!.sloPassed).toBe(false);
  });

  it('rejects k6-only options without --tool k6 (exit 2)', async () => {
    const run = await jobbench(['run', '--rate', '10'], { DATABASE_URL: db.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/need --tool k6/);
  });
});

describe('jobbench run --tool k6 input checks', () => {
  it('rejects windows shorter than k6 accepts (exit 2)', async () => {
    const run = await jobbench(['run', '--tool', 'k6', '--rate', '10', '--warmup', '0.5'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at least 1 second/);
  });
});
