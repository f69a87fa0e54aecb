import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetFacts } from '../../bench/results/target-facts.ts';
import type { Target } from '../../bench/targets/spec.ts';
import { startFastapiTarget } from '../../bench/targets/fastapi.ts';
import type { FastapiSettings } from '../../bench/targets/fastapi-settings.ts';
import { FASTAPI_TARGETS, type FastapiTargetName } from '../../bench/targets/fastapi-targets.ts';
import { jobBody } from '../http/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { probeFastapiTargets } from '../support/fastapi-python.ts';

// A FastAPI target's settings (event loop, HTTP parser, statement cache) reach the running server: it
// serves requests with them, and its own report (GET /internal/target, Target.facts) says what runs.

interface Case {
  name: FastapiTargetName;
  settings: FastapiSettings;
  facts: Partial<Record<keyof TargetFacts, unknown>>;
}

const CASES: Case[] = [
  {
    name: 'fastapi-asyncpg-raw',
    settings: { loop: 'uvloop', http: 'h11' },
    facts: { loop: 'uvloop', http: 'h11', loopSetting: 'uvloop', statementCacheSize: 100 },
  },
  {
    name: 'fastapi-asyncpg-raw',
    settings: { loop: 'asyncio', http: 'httptools', statementCacheSize: 0 },
    facts: { loop: 'asyncio', http: 'httptools', httpSetting: 'httptools', statementCacheSize: 0 },
  },
  {
    name: 'fastapi-asyncpg',
    settings: {},
    facts: { statementCacheSize: 100, loopSetting: 'auto', httpSetting: 'auto' },
  },
  {
    name: 'fastapi-asyncpg',
    settings: { statementCacheSize: 200, http: 'httptools' },
    facts: { statementCacheSize: 200 },
  },
  {
    name: 'fastapi-psycopg3',
    settings: { loop: 'uvloop', statementCacheSize: 300 },
    facts: {
      loop: 'uvloop',
      statementCacheSize: 300,
      prepareThreshold: 5,
      psycopgImpl: expect.stringMatching(/^(c|binary|python)$/),
    },
  },
  {
    name: 'fastapi-psycopg2-async',
    settings: { loop: 'asyncio', http: 'h11' },
    facts: { style: 'blocking', loop: 'asyncio', http: 'h11', statementCacheSize: null },
  },
];

// uvloop and httptools are optional modules: the cases need them on top of each target's own.
const probes = await probeFastapiTargets([...new Set(CASES.map((c) => c.name))], ['uvloop', 'httptools']);
const skipOf = (name: FastapiTargetName): string | null => {
  const p = probes.get(name)!;
  return p.ok ? null : p.reason;
};
const pythonOf = (name: FastapiTargetName): string => {
  const p = probes.get(name)!;
  return p.ok ? p.interpreter.path : 'python3';
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 50 });
});
afterAll(async () => {
  await db?.drop();
});

for (const c of CASES) {
  const skip = skipOf(c.name);
  describe.skipIf(skip !== null)(`${c.name} ${JSON.stringify(c.settings)}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let target: Target;
    beforeAll(async () => {
      target = await startFastapiTarget({ name: c.name, python: pythonOf(c.name), poolMax: 2, ...c.settings }, db.url);
    });
    afterAll(async () => {
      await target?.stop();
    });

    it('reports what it runs with', () => {
      expect(target.facts).toMatchObject({ target: c.name, style: FASTAPI_TARGETS[c.name].style, ...c.facts });
      expect(target.facts!.modules).toMatchObject({ fastapi: expect.any(String), uvicorn: expect.any(String) });
    });

    it('serves reads, writes and errors', async () => {
      const get = await fetch(`${target.baseUrl}/jobs/1`);
      expect([get.status, ((await get.json()) as { id: string }).id]).toEqual([200, '1']);
      const post = await fetch(`${target.baseUrl}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(jobBody()),
      });
      expect(post.status, await post.text()).toBe(201);
      const bad = await fetch(`${target.baseUrl}/jobs?limit=0`);
      expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'JOBBENCH_ERR_VALIDATION']);
      for (let i = 0; i < 3; i++) expect((await fetch(`${target.baseUrl}/jobs?q=engineer&limit=5`)).status).toBe(200);
    });
  });
}

describe.skipIf(skipOf('fastapi-asyncpg') !== null)('a statement cache where nothing is prepared', () => {
  it('is refused in one line on fastapi-psycopg2', async () => {
    await expect(
      startFastapiTarget(
        { name: 'fastapi-psycopg2', python: pythonOf('fastapi-asyncpg'), poolMax: 2, statementCacheSize: 10 },
        db.url,
      ),
    ).rejects.toThrow(/fastapi-psycopg2 prepares no statements \(psycopg2 interpolates parameters client-side\)/);
  });
});
