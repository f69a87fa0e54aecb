import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobbench } from './cli.ts';

// An external target measured without `app=`: its backends are every client backend of the database
// but the harness's own. Every connection the harness opens during a window must be in that exclusion
// (shared/application-names.ts), or the target's count grows by the harness's connections.
const POOL_MAX = 2;

describe('an external target without app=', () => {
  let db: TestDatabase;
  let external: Target;
  let out: string;
  let results: Results;

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 200 });
    external = await startTarget({ adapter: 'postgres-js', poolMax: POOL_MAX, metrics: 'on', via: 'direct' }, db.url);
    out = mkdtempSync(join(tmpdir(), 'jobbench-external-backends-'));
    const run = await jobbench(
      [
        'run',
        '--adapters',
        'pg-pool',
        '--target',
        `mine=${external.baseUrl}`,
        '--scenarios',
        'get-job',
        '--rounds',
        '2',
      ]
        .concat(['--duration', '2', '--warmup', '0', '--connections', '8', '--jobs', '200', '--no-ceilings'])
        .concat(['--out', out, '-q']),
      db.url,
    );
    if (run.code !== 0) throw new Error(`jobbench run exited with ${run.code}: ${run.stderr.slice(-2000)}`);
    results = await readResults(join(out, 'results.json'));
  }, 300_000);

  afterAll(async () => {
    await external?.stop();
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('counts only the target’s own backends: never more than its pool', () => {
    const mine = results.cells.find((c) => c.adapter === 'mine')!;
    expect(mine.evidence!.dbBackends).toMatch(/every client backend .* but the harness's own/);
    for (const r of mine.rounds) {
      expect(r.requests).toBeGreaterThan(0);
      expect(r.dbBackends).toBeGreaterThanOrEqual(1);
      expect(r.dbBackends).toBeLessThanOrEqual(POOL_MAX);
    }
  });
});
