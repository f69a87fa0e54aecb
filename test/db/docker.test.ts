import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dockerAvailable } from '../../bench/db/docker.ts';
import { provisionDatabase } from '../../bench/db/provision.ts';
import { migrate } from '../../src/db/migrate.ts';

const engine = await dockerAvailable();
if (!engine)
  console.warn(
    '[docker tests skipped] no Docker engine answered (testcontainers found none): --db docker cannot run here',
  );

describe.skipIf(!engine)('--db docker (testcontainers PostgreSQL)', () => {
  it('starts a container, migrates it, answers, and stops it', { timeout: 180_000 }, async () => {
    const db = await provisionDatabase({ mode: 'docker' });
    try {
      expect(db.kind).toBe('docker');
      await migrate(db.url);
      const client = new pg.Client(db.url);
      await client.connect();
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
      await client.end();
      expect(rows[0]!.n).toBe(0);
    } finally {
      await db.stop();
    }
  });
});

describe('--db docker without an engine', () => {
  it.skipIf(engine)('fails with a message that says what to use instead', { timeout: 60_000 }, async () => {
    await expect(provisionDatabase({ mode: 'docker' })).rejects.toThrow(
      /no Docker engine answered.*DATABASE_URL or the embedded database/,
    );
  });
});
