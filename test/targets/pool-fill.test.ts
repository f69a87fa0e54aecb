import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFastapiTarget } from '../../bench/targets/fastapi.ts';
import type { FastapiTargetName } from '../../bench/targets/fastapi-targets.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { probeFastapiTargets } from '../support/fastapi-python.ts';

// JOBBENCH_POOL_FILL=open (what adr's capacity phase sets): a FastAPI target opens its whole pool before it
// answers, so that a window never pays for new connections; the default stays lazy. Counted in
// pg_stat_activity under the target's application_name, right after the start.

const NAMES: FastapiTargetName[] = [
  'fastapi-psycopg2',
  'fastapi-psycopg2-async',
  'fastapi-asyncpg',
  'fastapi-asyncpg-raw',
];
const POOL = 4;
const probes = await probeFastapiTargets(NAMES);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 10 });
});
afterAll(async () => {
  await db?.drop();
});

const backends = async (name: string): Promise<number> => {
  const [row] = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [`jobbench:${name}`],
  );
  return Number(row!.n);
};

for (const name of NAMES) {
  const probe = probes.get(name)!;
  describe.skipIf(!probe.ok)(`${name}${probe.ok ? '' : ` (skipped: ${probe.reason})`}`, () => {
    const python = probe.ok ? probe.interpreter.path : 'python3';

    it(`with JOBBENCH_POOL_FILL=open holds all ${POOL} connections once it answers, and says so`, async () => {
      const target = await startFastapiTarget({ name, python, poolMax: POOL }, db.url, {
        ...process.env,
        JOBBENCH_POOL_FILL: 'open',
      });
      try {
        expect(target.facts).toMatchObject({ poolFill: 'open' });
        expect(await backends(name)).toBe(POOL);
      } finally {
        await target.stop();
      }
    });

    it('by default opens connections only as requests need them', async () => {
      const target = await startFastapiTarget({ name, python, poolMax: POOL }, db.url);
      try {
        expect(target.facts).toMatchObject({ poolFill: 'lazy' });
        expect(await backends(name)).toBeLessThan(POOL);
      } finally {
        await target.stop();
      }
    });
  });
}
