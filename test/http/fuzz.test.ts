import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { ERRORS, type ErrorCode } from '../../src/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { requests } from './fuzz-arbitraries.ts';
import { buildTestApp, type Request } from './support.ts';

// Hostile input at volume: RUNS generated requests per adapter through app.inject() against a real,
// seeded database. Every answer is a 2xx or a 4xx (no 5xx: the database is up), every 4xx has the
// catalogue's body (code, message, the code's status), no body leaks a stack, a file path, SQL or a
// driver's message, and the seeded rows are unchanged (valid POSTs may insert: those rows are counted).
// Seeded: a failure prints the seed and the shrunk request; JOBBENCH_FUZZ_SEED replays it.

const RUNS = Number(process.env.JOBBENCH_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.JOBBENCH_FUZZ_SEED ?? 20_240_612);
const SEEDED_JOBS = 200;

// What must never reach a client. Echoed input is removed first (see echoFree), so these are ours.
const LEAKS = [
  /\bat (async )?[\w$.<>]+ \(/, // a stack frame
  /node_modules|\/work\/|\/src\/|\.ts:\d+|\.js:\d+/,
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|RETURNING)\b/,
  /syntax error|relation "|column "|violates|duplicate key|invalid input syntax|SQLSTATE|pg_|libpq|postgres/i,
  /ECONN|ETIMEDOUT|TypeError|ReferenceError|undefined is not|Cannot read/,
];

/** The message without what the request itself put in it: the path of an unknown route, a property name. */
function echoFree(message: string): string {
  return message.replace(/^No route \S+ .*$/s, 'No route').replace(/unknown property ".*"$/s, 'unknown property');
}

function check(req: Request, res: LightMyRequestResponse, created: string[]): void {
  const where = `${req.method} ${req.url}`;
  expect(res.statusCode, `${where}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  expect(res.statusCode, where).toBeGreaterThanOrEqual(200);
  if (req.method === 'HEAD') return;
  if (res.statusCode >= 400) {
    const body = res.json() as { code: ErrorCode; message: string };
    expect(Object.keys(body).sort(), `${where}: ${res.body}`).toEqual(['code', 'message']);
    expect(Object.hasOwn(ERRORS, body.code), `${where}: uncatalogued ${body.code}`).toBe(true);
    expect(ERRORS[body.code].status, `${where}: ${body.code}`).toBe(res.statusCode);
    const message = echoFree(body.message);
    for (const leak of LEAKS) expect(message, `${where}: ${body.message}`).not.toMatch(leak);
  } else if (req.method === 'POST' && res.statusCode === 201) {
    created.push((res.json() as { id: string }).id);
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: SEEDED_JOBS });
});
afterAll(async () => {
  await db?.drop();
});

/** The seeded rows (id ≤ SEEDED_JOBS) hashed, how many rows there are beyond them, and the tables. */
async function state(): Promise<{ seededHash: string; extra: number; tables: string }> {
  const [row] = await db.query<{ seededHash: string; extra: number; tables: string }>(
    `SELECT (SELECT md5(coalesce(string_agg(j::text, '|' ORDER BY id), '')) FROM jobs j WHERE id <= $1) AS "seededHash",
            (SELECT count(*)::int FROM jobs WHERE id > $1) AS extra,
            (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public') AS tables`,
    [SEEDED_JOBS],
  );
  return row!;
}

for (const name of ADAPTER_NAMES) {
  const availability = await adapterAvailability(name);
  describe.skipIf(!availability.available)(
    `${name}${availability.available ? '' : ` (skipped: ${availability.reason})`}`,
    () => {
      it(
        `answers ${RUNS} generated requests with 2xx/4xx, catalogued codes, no leak, seeded rows unchanged`,
        {
          timeout: 180_000,
        },
        async () => {
          const t = await buildTestApp(name, db.url);
          const before = await state();
          const created: string[] = [];
          const startedMs = performance.now();
          try {
            await fc.assert(
              fc.asyncProperty(requests, async (req) => check(req, await t.app.inject(req), created)),
              { seed: SEED, numRuns: RUNS, endOnFailure: false },
            );
          } catch (err) {
            throw new Error(`fuzzing ${name} failed with seed ${SEED} (JOBBENCH_FUZZ_SEED=${SEED} to replay)`, {
              cause: err,
            });
          } finally {
            await t.close();
          }
          const after = await state();
          const elapsedS = (performance.now() - startedMs) / 1000;
          process.stderr.write(
            `fuzz ${name}: ${RUNS} requests in ${elapsedS.toFixed(1)} s, ${created.length} created\n`,
          );
          expect(after.seededHash).toBe(before.seededHash);
          expect(after.tables).toBe(before.tables);
          // A passing property ran each request once: every new row is one of the 201s, and nothing else was added.
          expect(after.extra - before.extra).toBe(created.length);
          // …and remove them, so that the next adapter starts from the same table.
          await db.query('DELETE FROM jobs WHERE id > $1', [SEEDED_JOBS]);
        },
      );
    },
  );
}
