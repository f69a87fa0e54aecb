import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const MIGRATIONS = (await readdir(new URL('../../src/db/migrations/', import.meta.url)))
  .filter((f) => f.endsWith('.sql'))
  .sort();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(); // createTestDatabase migrates it
});
afterAll(async () => {
  await db?.drop();
});

describe('migrate', () => {
  it('records every migration file, in name order', async () => {
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY applied_at, name');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS);
  });

  it('is a no-op when run again', async () => {
    const schema = () =>
      db.query(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
      );
    const before = {
      schema: await schema(),
      migrations: await db.query('SELECT * FROM schema_migrations ORDER BY name'),
    };
    expect(await migrate(db.url)).toEqual([]);
    expect({
      schema: await schema(),
      migrations: await db.query('SELECT * FROM schema_migrations ORDER BY name'),
    }).toEqual(before);
  });

  it('creates the indexes a real deployment needs', async () => {
    const rows = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'jobs'");
    const defs = rows.map((r) => r.indexdef).join('\n');
    expect(defs).toMatch(/USING gin \(search\)/);
    expect(defs).toMatch(/USING gin \(tags\)/);
    expect(defs).toMatch(/\(posted_at DESC, id DESC\)/);
    for (const column of ['location', 'company', 'contract', 'salary_max'])
      expect(defs).toMatch(new RegExp(`btree \\(${column}\\b`));
  });

  it('applies each migration once when several migrators start together', async () => {
    const fresh = await createTestDatabase();
    try {
      await fresh.query('DROP TABLE jobs, jobbench_seed_state, schema_migrations');
      const applied = await Promise.all([migrate(fresh.url), migrate(fresh.url), migrate(fresh.url)]);
      expect(applied.flat().sort()).toEqual(MIGRATIONS);
      expect(await fresh.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: MIGRATIONS.length }]);
    } finally {
      await fresh.drop();
    }
  });
});
