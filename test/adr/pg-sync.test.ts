import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterAvailability, createRepository } from '../../src/adapters/registry.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// The adapter module needs pg-native; the pure helpers are tested through it, so skip all when it cannot load.
const availability = await adapterAvailability('pg-sync');
const mod = availability.available ? await import('../../src/adapters/pg-sync.ts') : null;

describe.skipIf(!mod)(
  `pg-sync parameters and connection string${availability.available ? '' : ` (skipped: ${availability.reason})`}`,
  () => {
    it.each([
      { value: null, text: null },
      { value: undefined, text: null },
      { value: 'plain', text: 'plain' },
      { value: true, text: 'true' },
      { value: false, text: 'false' },
      { value: 42, text: '42' },
      { value: 12345678901234567890n, text: '12345678901234567890' },
      { value: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), text: '2024-01-02T03:04:05.678Z' },
      { value: [], text: '{}' },
      { value: ['a', 'b'], text: '{"a","b"}' },
      { value: ['a,b', 'c"d', 'e\\f', '{x}', 'NULL', ' '], text: '{"a,b","c\\"d","e\\\\f","{x}","NULL"," "}' },
      { value: ['x', null], text: '{"x",NULL}' },
      {
        value: [
          [1, 2],
          [3, 4],
        ],
        text: '{{"1","2"},{"3","4"}}',
      },
      { value: { a: 1 }, text: '{"a":1}' },
    ])('sends $value as the text pg would send', ({ value, text }) => {
      expect(mod!.toPgText(value)).toBe(text);
    });

    it('rejects a NUL byte the way PostgreSQL does (22021) instead of letting libpq truncate the string', () => {
      expect(() => mod!.toPgText('a\u0000b')).toThrow(expect.objectContaining({ code: '22021' }));
    });

    it.each([
      {
        url: 'postgresql://postgres@127.0.0.1:5432/db',
        expected:
          'postgresql://postgres@127.0.0.1:5432/db?application_name=jobbench%3Apg-sync&connect_timeout=2&options=-c%20statement_timeout%3D5000',
      },
      {
        url: 'postgres://u:p%40ss@h/db?sslmode=disable&options=-c%20search_path%3Dx',
        expected:
          'postgres://u:p%40ss@h/db?sslmode=disable&options=-c%20search_path%3Dx%20-c%20statement_timeout%3D5000&application_name=jobbench%3Apg-sync&connect_timeout=2',
      },
    ])(
      'passes application_name, connect_timeout (s, at least 2) and statement_timeout to libpq: $url',
      ({ url, expected }) => {
        expect(
          mod!.libpqConnectionString({
            url,
            poolMax: 10,
            connectTimeoutMs: 1500,
            idleTimeoutMs: 1,
            statementTimeoutMs: 5000,
            applicationName: 'jobbench:pg-sync',
          }),
        ).toBe(expected);
      },
    );
  },
);

describe.skipIf(!mod)('pg-sync against PostgreSQL', () => {
  let db: TestDatabase;
  let repo: JobRepository;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 20 });
    repo = await createRepository('pg-sync', {
      url: db.url,
      poolMax: 10,
      connectTimeoutMs: 2000,
      idleTimeoutMs: 30_000,
      statementTimeoutMs: 5000,
      applicationName: 'jobbench:pg-sync-test',
    });
  });
  afterAll(async () => {
    await repo?.close();
    await db?.drop();
  });

  it('holds one connection, named by application_name, whatever poolMax says', async () => {
    await repo.ping();
    await repo.stats();
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'jobbench:pg-sync-test'",
    );
    expect(rows[0]!.n).toBe(1);
    expect(repo.poolStats()).toBeNull(); // the queue is the event loop: no pool gauge can see it
  });

  it('reconnects and retries a read once when its connection was killed while idle (a restart must not cost a 503)', async () => {
    await repo.ping();
    const before = await db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = 'jobbench:pg-sync-test'",
    );
    await db.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'jobbench:pg-sync-test'",
    );
    await expect(repo.ping()).resolves.toBeUndefined();
    const after = await db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = 'jobbench:pg-sync-test'",
    );
    expect(after.map((r) => r.pid)).not.toEqual(before.map((r) => r.pid)); // a new backend: it did reconnect
    await expect(repo.ping()).resolves.toBeUndefined();
  });

  it('really blocks: the result is ready when the call returns, before any I/O callback could run', async () => {
    let settled = false;
    const search = repo.search({ q: 'engineer' }, { limit: 5 }).then(() => (settled = true));
    // Microtasks only: an async driver needs at least one turn of the event loop (socket I/O) to settle.
    for (let i = 0; i < 3; i++) await Promise.resolve();
    expect(settled).toBe(true);
    await search;
  });
});
