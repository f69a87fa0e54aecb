import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { startTarget } from '../../bench/targets/start.ts';
import type { Target } from '../../bench/targets/spec.ts';
import { jobbench, type CliRun } from '../targets/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// Real runs of `jobbench run` as a user starts them (a child process), on a real PostgreSQL.
const SMOKE = ['--scenarios', 'get-job', '--rounds', '2', '--duration', '2', '--warmup', '0', '--connections', '4'];

describe('a window during which another process takes the machine', () => {
  let db: TestDatabase;
  let busy: ChildProcess;
  let out: string;
  let run: CliRun;
  let results: Results;

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 200 });
    out = mkdtempSync(join(tmpdir(), 'jobbench-disturbed-'));
    // A busy loop that is not the run's: a sibling of the jobbench process, not its child.
    busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    run = await jobbench(
      ['run', '--adapters', 'pg-pool', ...SMOKE, '--jobs', '200', '--no-ceilings', '--out', out],
      db.url,
    );
    if (run.code !== 0) throw new Error(`jobbench run exited with ${run.code}: ${run.stderr.slice(-2000)}`);
    results = await readResults(join(out, 'results.json'));
  }, 300_000);

  afterAll(async () => {
    busy?.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('is flagged disturbed with the CPU others used, measured again once, and left out of the estimates', () => {
    const [cell] = results.cells;
    for (const r of cell!.rounds) {
      expect(r.validity!.foreignCpuPercent).toBeGreaterThanOrEqual(r.validity!.thresholdPercent);
      expect(r.validity!.disturbed).toBe(true);
      expect(r.validity!.remeasuredAfter!.foreignCpuPercent).toBeGreaterThan(10);
    }
    expect(cell!.summary.unusableRounds).toEqual({ invalid: 0, disturbed: 2 });
    expect(run.stderr).toMatch(
      /disturbed: measuring again\n {2}other processes used [\d.]+% of a core \(threshold 10%\)/,
    );
  });

  it('is not called machine-saturated: that flag is the run saturating the machine itself', () => {
    // Others' load is `disturbed`; machine-saturated means the run's own processes used ≥ 90% of all cores.
    for (const r of results.cells[0]!.rounds) {
      const cpu = r.cpu!;
      expect(r.machineSaturated).toBe(cpu.oursPercent >= 0.9 * cpu.cores * 100);
    }
  });
});

describe('a target whose data is not what the scenario assumes', () => {
  let db: TestDatabase;
  let target: Target;
  let out: string;
  let results: Results;

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 50 }); // ids 1..50 exist; the run draws 1..500
    target = await startTarget({ adapter: 'pg-pool', poolMax: 2, metrics: 'on', via: 'direct' }, db.url);
    out = mkdtempSync(join(tmpdir(), 'jobbench-invalid-'));
    const args = ['run', '--adapters', 'pg-pool', '--target', `mine=${target.baseUrl}`, '--no-seed', ...SMOKE];
    const run = await jobbench([...args, '--jobs', '500', '--no-ceilings', '--out', out], db.url);
    if (run.code !== 0) throw new Error(`jobbench run exited with ${run.code}: ${run.stderr.slice(-2000)}`);
    results = await readResults(join(out, 'results.json'));
  }, 300_000);

  afterAll(async () => {
    await target?.stop();
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('marks every window invalid with its 404s, and the cell has no usable round', () => {
    const mine = results.cells.find((c) => c.adapter === 'mine')!;
    for (const r of mine.rounds) {
      expect(r.validity!.unexpectedStatuses!['404']).toBeGreaterThan(0);
      expect(r.validity!.invalid).toMatch(/× 404 .* the data or the contract is not what the get-job scenario assumes/);
    }
    expect(mine.summary.unusableRounds).toEqual({ invalid: mine.rounds.length, disturbed: 0 });
  });
});
