import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS, REPO_ROOT } from '../../dashboards/build.ts';
import { ADAPTER_NAMES, availableAdapters, createRepository } from '../../src/adapters/registry.ts';
import { METRIC } from '../../src/metrics/names.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const DOC = readFileSync(join(REPO_ROOT, 'docs/readme/monitoring.md'), 'utf8');

/** Rows `| \`name\` | source: ... |` of the pool gauge table. */
function documentedPoolSources(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of DOC.matchAll(/^\| `([a-z0-9-]+)` \| (driver|pg_stat_activity)[:|]/gm)) rows.set(m[1]!, m[2]!);
  return rows;
}

describe('docs/readme/monitoring.md', () => {
  it('documents every metric the API exports', () => {
    for (const name of Object.values(METRIC)) expect(DOC, name).toContain(`| \`${name}\` |`);
  });

  it('lists every dashboard by its uid', () => {
    for (const { dashboard } of Object.values(DASHBOARDS)) expect(DOC).toContain(`(\`${dashboard.uid}\`)`);
  });

  it('names the pool gauge source of every adapter', () => {
    expect([...documentedPoolSources().keys()].sort()).toEqual([...ADAPTER_NAMES].sort());
  });

  describe('pool gauge sources match what each adapter reports (real PostgreSQL)', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    it('driver where poolStats() answers, pg_stat_activity where it returns null', async () => {
      const { available } = await availableAdapters();
      const documented = documentedPoolSources();
      for (const name of available) {
        const repo = await createRepository(name, {
          url: db.url,
          poolMax: 2,
          connectTimeoutMs: 2_000,
          idleTimeoutMs: 10_000,
          statementTimeoutMs: 5_000,
          applicationName: `jobbench:${name}`,
        });
        try {
          await repo.ping();
          expect(repo.poolStats() === null ? 'pg_stat_activity' : 'driver', name).toBe(documented.get(name));
        } finally {
          await repo.close();
        }
      }
    });
  });
});
