import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { ACCEPTED, CASES } from './bad-input-cases.ts';
import { buildTestApp, expectError, tableFingerprint, type TestApp } from './support.ts';

// Every case of bad-input-cases.ts gets its 4xx and code, none a 500, and the table is unchanged. Run once per adapter.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 100 });
});
afterAll(async () => {
  await db?.drop();
});

for (const name of ADAPTER_NAMES) {
  const availability = await adapterAvailability(name);
  describe.skipIf(!availability.available)(
    `${name}${availability.available ? '' : ` (skipped: ${availability.reason})`}`,
    () => {
      let t: TestApp;
      let before: Awaited<ReturnType<typeof tableFingerprint>>;
      beforeAll(async () => {
        t = await buildTestApp(name, db.url);
        before = await tableFingerprint(db);
      });
      afterAll(async () => {
        await t?.close();
      });

      it.each(CASES)('%s → %i %s', async (_name, request, status, code) => {
        const res = await t.app.inject(request);
        expectError(res, status, code);
      });

      it.each(ACCEPTED)('takes %s as data: 200 with no match', async (_name, url) => {
        const res = await t.app.inject(url);
        expect(res.statusCode).toBe(200);
        expect(res.json().items.every((j: { title: string }) => typeof j.title === 'string')).toBe(true);
      });

      it('still holds the same rows and tables afterwards', async () => {
        expect(await tableFingerprint(db)).toEqual(before);
        expect((await t.app.inject('/ready')).statusCode).toBe(200);
      });
    },
  );
}
