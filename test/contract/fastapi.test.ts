import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { startFastapiTarget } from '../../bench/targets/fastapi.ts';
import { FASTAPI_TARGETS, FASTAPI_TARGET_NAMES } from '../../bench/targets/fastapi-targets.ts';
import { findPython, pythonSettings } from '../../bench/targets/python.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { send } from './http-client.ts';
import { describeHttpContract } from './http-contract.ts';

// The HTTP contract suite against a Node adapter and every FastAPI target (each skipped with the reason
// when its interpreter or modules are missing), then byte-for-byte equality of their JSON on the same
// seeded data. One database: the equality checks run first, before the suites add rows.

const POOL_MAX = 4;
const settings = pythonSettings();

interface Candidate {
  label: string;
  skip: string | null; // why it cannot run here
  start: () => Promise<Target>;
}

const NODE: Candidate = {
  label: 'node pg-pool',
  skip: null,
  start: () => startTarget({ adapter: 'pg-pool', poolMax: POOL_MAX, metrics: 'on', via: 'direct' }, db.url),
};
const FASTAPI: Candidate[] = await Promise.all(
  FASTAPI_TARGET_NAMES.map(async (name): Promise<Candidate> => {
    const probe = await findPython({ modules: FASTAPI_TARGETS[name].modules, label: name, ...settings });
    return {
      label: name,
      skip: probe.ok ? null : probe.reason,
      start: () =>
        startFastapiTarget({ name, python: probe.ok ? probe.interpreter.path : 'python3', poolMax: POOL_MAX }, db.url),
    };
  }),
);
const RUNNABLE = [NODE, ...FASTAPI].filter((c) => c.skip === null);

let db: TestDatabase;
const started = new Map<string, Target>();
async function target(c: Candidate): Promise<Target> {
  let t = started.get(c.label);
  if (!t) {
    t = await c.start();
    started.set(c.label, t);
  }
  return t;
}

beforeAll(async () => {
  db = await createTestDatabase({ jobs: 300 });
});
afterAll(async () => {
  for (const t of started.values()) await t.stop();
  await db?.drop();
});

// Every page of a walk, so that cursors issued by one target are followed on the others too.
async function walk(baseUrl: string, query: string): Promise<string[]> {
  const bodies: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await send(baseUrl, `/jobs?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    bodies.push(`${res.status} ${res.text}`);
    cursor = (res.json as { nextCursor?: string | null }).nextCursor ?? null;
  } while (cursor);
  return bodies;
}

const SAME_URLS = [
  '/jobs/1',
  '/jobs/150',
  '/jobs/300',
  '/jobs',
  '/jobs?limit=100',
  '/jobs/stats',
  '/jobs?q=engineer&limit=50',
  '/jobs?tags=go,sql',
  '/jobs?location=Paris&remote=false',
  '/jobs?salaryMin=100000&contract=full-time',
  '/health',
  '/ready',
];
const SAME_WALKS = ['limit=45', 'q=engineer&limit=10', 'contract=contract&limit=13'];
// Errors: the same status and code (messages of validation errors may be worded differently).
const SAME_ERRORS = ['/jobs/0', '/jobs/99999', '/jobs?limit=0', '/jobs?cursor=AAAA', '/nope', '/jobs/stats?x=1'];

describe.skipIf(FASTAPI.every((c) => c.skip !== null))('same seeded data, same JSON bytes on every target', () => {
  const others = RUNNABLE.filter((c) => c !== NODE);

  it.each(SAME_URLS)('GET %s', async (url) => {
    const expected = await send((await target(NODE)).baseUrl, url);
    expect(expected.status).toBe(200);
    for (const c of others) {
      const res = await send((await target(c)).baseUrl, url);
      expect({ target: c.label, status: res.status, type: res.headers.get('content-type'), body: res.text }).toEqual({
        target: c.label,
        status: expected.status,
        type: expected.headers.get('content-type'),
        body: expected.text,
      });
    }
  });

  it.each(SAME_WALKS)('every page of GET /jobs?%s, following cursors', async (query) => {
    const expected = await walk((await target(NODE)).baseUrl, query);
    expect(expected.length).toBeGreaterThan(1);
    for (const c of others)
      expect({ target: c.label, pages: await walk((await target(c)).baseUrl, query) }).toEqual({
        target: c.label,
        pages: expected,
      });
  });

  it.each(SAME_ERRORS)('GET %s: same status and code', async (url) => {
    const expected = await send((await target(NODE)).baseUrl, url);
    for (const c of others) {
      const res = await send((await target(c)).baseUrl, url);
      expect({ target: c.label, status: res.status, code: (res.json as { code: string }).code }).toEqual({
        target: c.label,
        status: expected.status,
        code: (expected.json as { code: string }).code,
      });
    }
  });
});

for (const c of [NODE, ...FASTAPI]) {
  describe.skipIf(c.skip !== null)(`${c.label}${c.skip ? ` (skipped: ${c.skip})` : ''}`, () => {
    let t: Target;
    beforeAll(async () => {
      t = await target(c);
    });
    describeHttpContract({ label: c.label, baseUrl: () => t.baseUrl, db: () => db });
  });
}
