import { createServer, connect, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForDatabase } from '../../bench/db/wait-ready.ts';
import { freePort } from '../../bench/host/free-port.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/** The database URL through 127.0.0.1:port, where nothing listens until `open()` starts forwarding. */
async function lateForwarder(dbUrl: string) {
  const upstream = new URL(dbUrl);
  const port = await freePort();
  const url = new URL(dbUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  let server: Server | undefined;
  return {
    url: url.toString(),
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const up = connect(Number(upstream.port || 5432), upstream.hostname);
          client.pipe(up).pipe(client);
          client.on('error', () => up.destroy());
          up.on('error', () => client.destroy());
        });
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

describe('a target whose database is unreachable when it starts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 20 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('waits for it, says so, and starts once it answers', async () => {
    const late = await lateForwarder(db.url);
    const waits: string[] = [];
    let opening: Promise<void> | undefined;
    const target = await startTarget(
      { adapter: 'pg-pool', poolMax: 2, metrics: 'off', via: 'direct' },
      late.url,
      {},
      {
        waitForDatabase: {
          onWait: (waitedS, why) => {
            waits.push(`${waitedS} s: ${why}`);
            opening ??= late.open(); // the database comes back after the first failed attempt
          },
        },
      },
    );
    try {
      expect(waits.length).toBeGreaterThanOrEqual(1);
      expect(waits[0]).toMatch(/ECONNREFUSED/);
      const res = await fetch(`${target.baseUrl}/jobs/1`);
      expect(res.status).toBe(200);
    } finally {
      await target.stop();
      await late.close();
    }
  }, 120_000);

  it('gives up after its budget with the database error code and no password', async () => {
    const late = await lateForwarder(db.url.replace('//', '//user:secret@'));
    const err = await waitForDatabase(late.url, { budgetMs: 1_500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('JOBBENCH_CLI_ERR_DB_UNREACHABLE');
    expect((err as Error).message).toMatch(/did not answer within 2 s/);
    expect((err as Error).message).not.toContain('secret');
  });
});
