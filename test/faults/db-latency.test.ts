import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { latencyProxyName, prepareDbLatency, type DbLatencySetup } from '../../bench/faults/db-latency.ts';
import { locateTool } from '../../bench/host/tool-bin.ts';

const tool = locateTool('toxiproxy', process.env);
if ('missing' in tool) console.warn(`[db-latency tests skipped] ${tool.missing}`);

/** The time of one query on an open connection: one round trip to PostgreSQL. */
async function queryMs(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT 1'); // the connection is warm: the next query is one round trip
    const t0 = performance.now();
    await client.query('SELECT 1');
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

describe.skipIf('missing' in tool)('--db-latency: a Toxiproxy proxy per latency before PostgreSQL', () => {
  const databaseUrl = inject('databaseUrl');
  let setup: DbLatencySetup;

  beforeAll(async () => {
    setup = await prepareDbLatency([0, 50], databaseUrl, process.env);
  });
  afterAll(async () => setup?.stop());

  it('adds at least L ms to one round trip at L = 50', async () => {
    // A lower bound only: a busy machine makes any query slower, never faster than the toxic.
    expect(await queryMs(setup.connectionFor(50).databaseUrl)).toBeGreaterThanOrEqual(50);
  });

  it('routes latency 0 through a proxy too (another port than the database), which answers', async () => {
    const url = new URL(setup.connectionFor(0).databaseUrl);
    expect(url.port).not.toBe(new URL(databaseUrl).port || '5432');
    expect(await queryMs(url.toString())).toBeGreaterThanOrEqual(0);
  });

  it('names one proxy per setting and refuses a latency it has no proxy for', () => {
    expect(latencyProxyName(10)).toBe('jobbench-pg-latency-10ms');
    expect(() => setup.connectionFor(10)).toThrow(/no database proxy for a latency of 10 ms/);
  });
});
