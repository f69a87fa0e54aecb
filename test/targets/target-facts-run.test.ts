import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { FASTAPI_TARGETS } from '../../bench/targets/fastapi-targets.ts';
import { findPython, pythonSettings } from '../../bench/targets/python.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobbench, type CliRun } from './cli.ts';

// A smoke-sized run of the new FastAPI targets and psycopg 3: every cell of the results file carries what
// its target said it ran with (cells[].targetFacts), agreeing with the interpreter probe's environment.
const TARGETS = ['fastapi-asyncpg-raw', 'fastapi-psycopg2-async', 'fastapi-psycopg3'] as const;
const JOBS = 300;
const python = await findPython({
  modules: [...new Set(TARGETS.flatMap((t) => FASTAPI_TARGETS[t].modules))],
  label: TARGETS.join(', '),
  ...pythonSettings(),
});

describe.skipIf(!python.ok)(
  `the facts of each target in results.json${python.ok ? '' : ` (skipped: ${python.reason})`}`,
  () => {
    let db: TestDatabase;
    let out: string;
    let run: CliRun;
    let results: Results;

    beforeAll(async () => {
      db = await createTestDatabase({ jobs: JOBS });
      out = mkdtempSync(join(tmpdir(), 'jobbench-facts-'));
      run = await jobbench(
        [
          'run',
          '--profile',
          'smoke',
          '--adapters',
          TARGETS.join(','),
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
      rmSync(out, { recursive: true, force: true });
      await db?.drop();
    });

    it('records loop, HTTP parser, statement cache and every module version per target', () => {
      expect(results.cells.map((c) => c.adapter).sort()).toEqual([...TARGETS].sort());
      for (const cell of results.cells) {
        const facts = cell.targetFacts!;
        expect(facts, cell.adapter).toMatchObject({
          target: cell.adapter,
          style: FASTAPI_TARGETS[cell.adapter as (typeof TARGETS)[number]].style,
          loop: expect.stringMatching(/^(asyncio|uvloop)$/),
          loopSetting: 'auto',
          http: expect.stringMatching(/^(h11|httptools)$/),
          httpSetting: 'auto',
          poolMax: 4,
        });
        expect(facts.error).toBeUndefined();
        // one source, two views: the running target and the interpreter probe agree on versions
        for (const module of ['fastapi', 'uvicorn'])
          expect(facts.modules![module], `${cell.adapter} ${module}`).toBe(
            results.environment.drivers[`python:${module}`],
          );
      }
      const byName = Object.fromEntries(results.cells.map((c) => [c.adapter, c.targetFacts!]));
      expect(byName['fastapi-asyncpg-raw']!.statementCacheSize).toBe(100); // asyncpg's default
      expect(byName['fastapi-psycopg2-async']!.statementCacheSize).toBeNull(); // psycopg2 prepares nothing
      expect(byName['fastapi-psycopg3']).toMatchObject({
        statementCacheSize: 100,
        prepareThreshold: 5,
        psycopgImpl: expect.stringMatching(/^(c|binary|python)$/),
      });
      expect(byName['fastapi-psycopg3']!.modules).toMatchObject({ psycopg: expect.stringMatching(/^3\./) });
    });

    it('measured every target without errors', () => {
      for (const cell of results.cells)
        for (const r of cell.rounds) expect([cell.adapter, r.errors, r.non2xx]).toEqual([cell.adapter, 0, 0]);
    });
  },
);
