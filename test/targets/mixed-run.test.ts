import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { FASTAPI_TARGETS } from '../../bench/targets/fastapi-targets.ts';
import { NO_PROCESS_EVIDENCE } from '../../bench/targets/kinds.ts';
import { findPython, pythonSettings } from '../../bench/targets/python.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobbench, type CliRun } from './cli.ts';

// One short interleaved run of three kinds of target: a Node adapter and a FastAPI target that jobbench
// starts, and an external URL (a `jobbench serve` started here by hand, its backends named with app=).
const JOBS = 300;
const python = await findPython({
  modules: FASTAPI_TARGETS['fastapi-asyncpg'].modules,
  label: 'fastapi-asyncpg',
  ...pythonSettings(),
});

describe.skipIf(!python.ok)(
  `a run mixing node, fastapi and external targets${python.ok ? '' : ` (skipped: ${python.reason})`}`,
  () => {
    let db: TestDatabase;
    let external: Target;
    let out: string;
    let run: CliRun;
    let results: Results;

    beforeAll(async () => {
      db = await createTestDatabase({ jobs: JOBS });
      external = await startTarget({ adapter: 'postgres-js', poolMax: 4, metrics: 'on', via: 'direct' }, db.url);
      out = mkdtempSync(join(tmpdir(), 'jobbench-mixed-'));
      run = await jobbench(
        [
          'run',
          '--adapters',
          'pg-pool,fastapi-asyncpg',
          '--target',
          `mine=${external.baseUrl},app=jobbench:postgres-js`,
          '--scenarios',
          'get-job',
          '--rounds',
          '2',
          '--duration',
          '1',
          '--warmup',
          '0',
          '--connections',
          '4',
          '--pool-max',
          '4',
          '--jobs',
          String(JOBS),
          '--out',
          out,
          '-q',
        ],
        db.url,
      );
      if (run.code !== 0) throw new Error(`jobbench run exited with ${run.code}: ${run.stderr.slice(-2000)}`);
      results = await readResults(join(out, 'results.json')); // schema-validated
    }, 300_000);

    afterAll(async () => {
      await external?.stop();
      rmSync(out, { recursive: true, force: true });
      await db?.drop();
    });

    it('completes with one cell per target, interleaved over the rounds', () => {
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(results.status).toBe('complete');
      expect(results.cells.map((c) => c.adapter).sort()).toEqual(['fastapi-asyncpg', 'mine', 'pg-pool']);
      for (const c of results.cells) expect(c.rounds.map((r) => r.round)).toEqual([1, 2]);
    });

    it('fills the process evidence of the targets it started, summed over the uvicorn tree for FastAPI', () => {
      for (const name of ['pg-pool', 'fastapi-asyncpg']) {
        const cell = results.cells.find((c) => c.adapter === name)!;
        for (const r of cell.rounds) {
          expect(r.serverCpuUsPerRequest, name).toBeGreaterThan(0);
          expect(r.serverRssBytes, name).toBeGreaterThan(10 * 1024 * 1024);
          expect(r.serverProcesses, name).toBeGreaterThanOrEqual(1);
          expect(r.dbBackends, name).toBeGreaterThanOrEqual(1);
          expect(r.dbBackends, name).toBeLessThanOrEqual(4); // --pool-max, no overflow
        }
      }
      const fastapi = results.cells.find((c) => c.adapter === 'fastapi-asyncpg')!;
      expect(fastapi.targetKind).toBe('fastapi');
      expect(fastapi.evidence!.process).toMatch(/process tree/);
      expect(fastapi.rounds[0]!.eventLoopMaxDelayMs).toBeNull(); // uvicorn has no /internal/process
    });

    it('says "n/a: external target" for the external URL, and counts its backends by application_name', () => {
      const mine = results.cells.find((c) => c.adapter === 'mine')!;
      expect(mine.targetKind).toBe('external');
      expect(mine.targetUrl).toBe(external.baseUrl);
      expect(mine.evidence).toEqual({
        process: NO_PROCESS_EVIDENCE,
        dbBackends: "pg_stat_activity where application_name = 'jobbench:postgres-js'",
      });
      expect(mine.summary.serverCpuUsPerRequest).toBeNull();
      for (const r of mine.rounds) {
        expect([r.serverCpuUsPerRequest, r.serverRssBytes, r.serverProcesses]).toEqual([null, null, null]);
        expect(r.dbBackends).toBeGreaterThanOrEqual(1);
        expect(r.non2xx + r.errors).toBe(0);
      }
      expect(run.stdout).toContain(NO_PROCESS_EVIDENCE);
    });

    it('records the Python interpreter and module versions in the environment', () => {
      expect(results.environment.drivers.python).toMatch(/^3\.\d+\.\d+ \(/);
      expect(results.environment.drivers['python:asyncpg']).toMatch(/^\d/);
    });
  },
);
