/**
 * The window's one PostgreSQL connection (bench/window/sampler-db.ts) on a real server: a lost connection
 * is recorded and replaced by one, not one per probe; an error of the statement itself keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSamplerDb, SAMPLER_APPLICATION_NAME } from '../../bench/window/sampler-db.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

describe('the sampler connection', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => db?.drop());

  const samplers = async () =>
    (
      await db.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [SAMPLER_APPLICATION_NAME],
      )
    ).map((r) => r.pid);
  const settled = async (expected: number) => {
    for (let i = 0; i < 50 && (await samplers()).length !== expected; i++) await new Promise((r) => setTimeout(r, 50));
    return samplers();
  };

  it('records a lost connection and replaces it with one, however many queries come together', async () => {
    const sampler = openSamplerDb(db.url);
    try {
      await sampler.connect();
      const [first] = await samplers();
      await db.query('SELECT pg_terminate_backend($1)', [first]);
      for (let i = 0; i < 50 && sampler.lost().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => sampler.query<{ n: number }>('SELECT 1 AS n').catch(() => null)),
      );
      expect(answers.filter((a) => a !== null).length).toBeGreaterThan(0);
      const now = await settled(1);
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(first);
      expect(sampler.lost()[0]).toMatch(/^sampler lost PostgreSQL: terminating connection/);
    } finally {
      await sampler.close();
    }
    expect(await settled(0)).toEqual([]);
  });

  it('keeps its connection when a statement fails on its own, and counts every statement', async () => {
    const sampler = openSamplerDb(db.url);
    try {
      const pid = async () => (await sampler.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
      const before = await pid();
      await expect(sampler.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
      expect(await pid()).toBe(before);
      expect(sampler.lost()).toEqual([]);
      expect(sampler.queries()).toBe(3);
    } finally {
      await sampler.close();
    }
  });
});
