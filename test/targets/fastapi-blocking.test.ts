import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../bench/targets/spec.ts';
import { startFastapiTarget } from '../../bench/targets/fastapi.ts';
import { FASTAPI_TARGETS, FASTAPI_TARGET_NAMES, type FastapiTargetName } from '../../bench/targets/fastapi-targets.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { probeFastapiTargets } from '../support/fastapi-python.ts';

// The endpoint style of every FastAPI target, shown by the order of events rather than by durations:
// while a test connection holds ACCESS EXCLUSIVE on jobs, GET /jobs/1 waits on every target, and a
// concurrent GET /health answers at once on every target whose style leaves the event loop free (async,
// and sync `def` in the thread pool), but only after the lock is released on the blocking one
// (fastapi-psycopg2-async: psycopg2 inside `async def`).

const STATEMENT_TIMEOUT_MS = 300_000; // the lock wait counts toward statement_timeout (5 s by default)
const REQUEST_TIMEOUT_MS = 120_000; // a request that never answers fails the test instead of hanging it
const WITNESS_ROUNDS = 20; // /health answers on the free targets while the blocked one has not answered

const probes = await probeFastapiTargets(FASTAPI_TARGET_NAMES);
const CANDIDATES = FASTAPI_TARGET_NAMES.map((name) => ({ name, probe: probes.get(name)! }));
const RUNNABLE = CANDIDATES.filter((c) => c.probe.ok);
const blocking = (name: FastapiTargetName) => FASTAPI_TARGETS[name].style === 'blocking';
const skip = !RUNNABLE.some((c) => blocking(c.name))
  ? `no blocking target can run here: ${CANDIDATES.map((c) => (c.probe.ok ? '' : c.probe.reason)).join('; ')}`
  : null;

async function get(target: Target, path: string): Promise<number> {
  const res = await fetch(`${target.baseUrl}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(skip !== null)(`the event loop of each FastAPI target${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let db: TestDatabase;
  const started = new Map<FastapiTargetName, Target>();

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 50 });
    for (const c of RUNNABLE) {
      if (!c.probe.ok) continue;
      const target = await startFastapiTarget({ name: c.name, python: c.probe.interpreter.path, poolMax: 2 }, db.url, {
        ...process.env,
        JOBBENCH_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      });
      started.set(c.name, target);
      expect(await get(target, '/jobs/1')).toBe(200); // connected, statements prepared: only the lock is left to wait on
    }
  });

  afterAll(async () => {
    for (const t of started.values()) await t.stop();
    await db?.drop();
  });

  it('answers GET /health during a query that waits on a lock, except on the blocking target, which answers only after the lock is released', async () => {
    const names = [...started.keys()];
    const events: string[] = [];
    const locker = new pg.Client(db.url);
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE');

      const gets = names.map((name) =>
        get(started.get(name)!, '/jobs/1').then((status) => {
          events.push(`${name} get`);
          return status;
        }),
      );
      // Every GET /jobs/1 is in PostgreSQL, waiting on the lock (polled until true; no duration is asserted).
      const appNames = names.map((n) => `jobbench:${n}`);
      for (;;) {
        const [row] = await db.query<{ n: number }>(
          "SELECT count(DISTINCT application_name)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = ANY($1)",
          [appNames],
        );
        if (row!.n === names.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }

      const healths = names.map((name) =>
        get(started.get(name)!, '/health').then((status) => {
          events.push(`${name} health`);
          return status;
        }),
      );
      const free = names.filter((n) => !blocking(n));
      await Promise.all(healths.filter((_, i) => !blocking(names[i]!)));
      // The free targets keep answering while the blocking one's /health is still unanswered.
      for (let i = 0; i < WITNESS_ROUNDS; i++)
        for (const name of free) expect(await get(started.get(name)!, '/health')).toBe(200);
      expect(events.filter((e) => e.endsWith(' get'))).toEqual([]); // the lock still holds every query

      events.push('release');
      await locker.query('COMMIT');
      expect(await Promise.all(gets)).toEqual(names.map(() => 200));
      expect(await Promise.all(healths)).toEqual(names.map(() => 200));
    } finally {
      await locker.end();
    }

    const release = events.indexOf('release');
    const order = names.map((name) => ({
      name,
      style: FASTAPI_TARGETS[name].style,
      health: events.indexOf(`${name} health`) < release ? 'before the release' : 'after the release',
    }));
    expect(order).toEqual(
      names.map((name) => ({
        name,
        style: FASTAPI_TARGETS[name].style,
        health: blocking(name) ? 'after the release' : 'before the release',
      })),
    );
  });
});
