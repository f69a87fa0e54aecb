import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { gate } from './support.ts';

const JOBS = 300;

// Issue 22's demo as a test: two running deployments (two `jobbench serve` started here, not by the gate),
// the head with one extra query per request. Counts do not care about the machine's noise: the gate must
// fail on them every time, and name the statement.
describe('jobbench gate --base-target URL --head-target URL', () => {
  let db: TestDatabase;
  let base: Target;
  let head: Target;
  let out: string;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: JOBS });
    const spec = { adapter: 'pg-pool', poolMax: 4, metrics: 'on', via: 'direct' } as const;
    base = await startTarget(spec, db.url);
    head = await startTarget(spec, db.url, { JOBBENCH_INJECT_QUERIES: '1' });
    out = mkdtempSync(join(tmpdir(), 'jobbench-external-gate-'));
  }, 120_000);
  afterAll(async () => {
    await base?.stop();
    await head?.stop();
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('fails (exit 1) on the head’s extra query per request, from the database’s own counts', async () => {
    const r = await gate(
      ['--base-target', base.baseUrl, '--head-target', head.baseUrl, '--scenarios', 'get-job', '--jobs', String(JOBS)]
        .concat(['--rounds', '6', '--max-rounds', '6', '--warmup', '0.5', '--duration', '1', '--connections', '4'])
        .concat(['--quiet', '--wide', '--out', out]), // --wide: each row's why on its own line, for the regexes below
      db.url,
    );
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(/^REGRESSED/m);
    expect(r.stdout).toMatch(/a running deployment: not started by jobbench/);
    const rows = r.stdout.split('\n').filter((l) => /^REGRESSED\s+deployment/.test(l));
    expect(
      rows.some((l) => /SQL calls\/request/.test(l) && /new statement "SELECT \$?1"/.test(l)),
      rows.join('\n'),
    ).toBe(true);
    // No process of ours: CPU and RSS are n/a, never a verdict.
    expect(r.stdout).toMatch(/n\/a\s+deployment\s+server CPU\/request/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.cells.map((c: { side: string; adapter: string }) => `${c.adapter}/${c.side}`).sort()).toEqual([
      'deployment/base',
      'deployment/head',
    ]);
    for (const cell of results.cells)
      for (const round of cell.rounds) expect(round.dbWork.total.calls).toBeCloseTo(cell.side === 'head' ? 2 : 1, 1);
  }, 600_000);

  it('refuses half a pair and revision flags beside targets, with exit 2', async () => {
    const half = await gate(['--base-target', base.baseUrl], db.url);
    expect(half.code).toBe(2);
    expect(half.stderr.split('\n')[0]).toMatch(
      /^jobbench gate: JOBBENCH_CLI_ERR_USAGE: --base-target and --head-target go together/,
    );
    const mixed = await gate(['--base-target', base.baseUrl, '--head-target', head.baseUrl, '--base', 'HEAD'], db.url);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--base configures a revision/);
  }, 120_000);
});
