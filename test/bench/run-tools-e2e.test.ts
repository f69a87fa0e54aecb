/**
 * `jobbench run --tool autocannon,wrk`, end to end on real PostgreSQL with tiny windows: one cell per
 * tool, the tools interleaved and rotated inside each round, one HTTP ceiling per tool, the side-by-side
 * section in the report, and the harness's RSS in every round. Skips without wrk (apt-get install wrk).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { findWrk } from '../../bench/runners/wrk/runner.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));
const WRK = findWrk();

function jobbench(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!WRK)('jobbench run with two load tools in one run', () => {
  let db: TestDatabase;
  let out: string;
  let results: Results;
  let run: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 200 });
    out = mkdtempSync(join(tmpdir(), 'jobbench-tools-e2e-'));
    run = await jobbench(
      [
        ...['run', '--tool', 'autocannon,wrk', '--adapters', 'pg-pool', '--scenarios', 'health'],
        ...['--rounds', '2', '--duration', '1', '--warmup', '0', '--connections', '2', '--jobs', '200'],
        ...['--out', out],
      ],
      { DATABASE_URL: db.url, WRK_BIN: WRK },
    );
    results = await readResults(join(out, 'results.json'));
  }, 180_000);

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('measures the same cell with each tool, every round', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(results.cells.map((c) => [c.adapter, c.scenario, c.tool, c.rounds.map((r) => r.round)])).toEqual([
      ['pg-pool', 'health', 'autocannon', [1, 2]],
      ['pg-pool', 'health', 'wrk', [1, 2]],
    ]);
    expect(results.config).toMatchObject({ tool: 'autocannon', tools: ['autocannon', 'wrk'] });
    // every window served its expected answers, wrk's `<400` class included: none is invalid
    expect(results.cells.flatMap((c) => c.rounds.map((r) => r.validity?.invalid ?? null))).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('interleaves the tools, the order rotated in the second round', () => {
    const order = [...run.stderr.matchAll(/\[round (\d)\/2 · pg-pool · (autocannon|wrk) · health[^\]]*\] \d/g)].map(
      (m) => `${m[1]}${m[2]}`,
    );
    expect(order).toEqual(['1autocannon', '1wrk', '2wrk', '2autocannon']);
  });

  it('measures one HTTP ceiling per tool and reads each cell against its own', () => {
    expect(results.ceilings?.httpByTool?.map((h) => h.tool)).toEqual(['autocannon', 'wrk']);
    // `http`: the ceiling the bare server bounded, else the first tool's (both floors on a busy machine)
    const byTool = results.ceilings!.httpByTool!;
    expect(results.ceilings?.http).toEqual(byTool.find((h) => h.boundBy === 'server') ?? byTool[0]);
    expect(run.stdout).toContain('Load tools on the same cells');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Load tools on the same cells');
    expect(md).toContain('HTTP ceiling (wrk)');
  });

  it("records the harness's own RSS in every round", () => {
    for (const r of results.cells.flatMap((c) => c.rounds)) {
      expect(r.harnessPeakRssBytes).toBeGreaterThan(10 * 1024 ** 2);
      expect(r.harnessEndRssBytes).toBeGreaterThan(0);
      expect(r.rssOverTime).toBeUndefined(); // a 1 s window: peak and end only
    }
  });
});
