import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from '../../bench/faults/toxiproxy-server.ts';
import { ToxiproxyApiError, toxics } from '../../bench/faults/toxiproxy.ts';
import { locateTool } from '../../bench/host/tool-bin.ts';

const tool = locateTool('toxiproxy', process.env);
if ('missing' in tool) console.warn(`[toxiproxy tests skipped] ${tool.missing}`);
const LATENCY_MS = 50;

/** A pg client through the proxy, with an error listener: a reset or a disabled proxy must not crash the test process. */
async function connectThrough(url: string): Promise<{ client: pg.Client; errors: Error[] }> {
  const errors: Error[] = [];
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', (err) => errors.push(err));
  await client.connect();
  return { client, errors };
}

async function roundTripMs(client: pg.Client): Promise<number> {
  const t0 = performance.now();
  await client.query('SELECT 1');
  return performance.now() - t0;
}

describe.skipIf('missing' in tool)('Toxiproxy between the harness and PostgreSQL', () => {
  const upstreamUrl = new URL(inject('databaseUrl'));
  let server: ToxiproxyServer;
  let proxiedUrl: string;

  beforeAll(async () => {
    server = await startToxiproxyServer({ bin: 'bin' in tool ? tool.bin : undefined, seed: 42 });
    const proxy = await server.client.createProxy({
      name: 'pg',
      upstream: `${upstreamUrl.hostname}:${upstreamUrl.port || 5432}`,
    });
    const url = new URL(upstreamUrl);
    url.port = proxy.listen.split(':').pop()!;
    proxiedUrl = url.toString();
  });
  afterAll(async () => server?.stop());

  it('answers on its API with the pinned version and lists the proxy it made', async () => {
    expect(server.version).toBe('2.5.0');
    const proxies = await server.client.listProxies();
    expect(proxies.map((p) => [p.name, p.enabled])).toEqual([['pg', true]]);
    expect(proxies[0]!.listen).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('passes queries through to PostgreSQL', async () => {
    const { client } = await connectThrough(proxiedUrl);
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('adds a 50 ms latency toxic to an open connection and takes it away again', async () => {
    const { client } = await connectThrough(proxiedUrl);
    try {
      await client.query('SELECT 1'); // warm: the first query pays for more than the network
      const toxic = await server.client.addToxic('pg', toxics.latency({ latencyMs: LATENCY_MS, jitterMs: 0 }));
      expect(toxic).toMatchObject({
        type: 'latency',
        stream: 'downstream',
        attributes: { latency: LATENCY_MS, jitter: 0 },
      });
      expect((await server.client.listToxics('pg')).map((t) => t.name)).toEqual([toxic.name]);
      expect(await roundTripMs(client)).toBeGreaterThanOrEqual(LATENCY_MS);
      await server.client.removeToxic('pg', toxic.name);
      expect(await server.client.listToxics('pg')).toEqual([]);
      expect(await roundTripMs(client)).toBeLessThan(LATENCY_MS);
    } finally {
      await client.end();
    }
  });

  it('refuses connections while the proxy is disabled and accepts them again once enabled', async () => {
    const open = await connectThrough(proxiedUrl);
    expect((await server.client.setEnabled('pg', false)).enabled).toBe(false);
    try {
      await expect(connectThrough(proxiedUrl)).rejects.toThrow(/ECONNREFUSED/);
      await expect(open.client.query('SELECT 1')).rejects.toThrow(); // disabling also drops open connections
    } finally {
      await server.client.setEnabled('pg', true);
    }
    const { client } = await connectThrough(proxiedUrl);
    expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await client.end();
  });

  it('resets an open connection with a reset_peer toxic', async () => {
    const { client } = await connectThrough(proxiedUrl);
    await client.query('SELECT 1');
    const toxic = await server.client.addToxic('pg', toxics.resetPeer({ afterMs: 0, stream: 'upstream' }));
    try {
      await expect(client.query('SELECT 1')).rejects.toThrow(/ECONNRESET|Connection terminated/);
    } finally {
      await server.client.removeToxic('pg', toxic.name);
    }
    const fresh = await connectThrough(proxiedUrl);
    expect((await fresh.client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
    await fresh.client.end();
  });

  it("reports the API's own error for an unknown proxy", async () => {
    const err = await server.client.deleteProxy('no-such-proxy').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToxiproxyApiError);
    expect(err).toMatchObject({ status: 404, message: expect.stringMatching(/proxy not found/) });
  });
});

describe.skipIf('missing' in tool)('the toxiproxy-server child', () => {
  it('is gone once stopped, and stop() can be called twice', async () => {
    const server = await startToxiproxyServer({ bin: 'bin' in tool ? tool.bin : undefined });
    expect(existsSync(`/proc/${server.pid}`)).toBe(true);
    expect(server.running()).toBe(true);
    await server.stop();
    expect(server.running()).toBe(false);
    await server.stop();
    expect(existsSync(`/proc/${server.pid}`)).toBe(false);
    await expect(server.client.version()).rejects.toThrow();
  });

  it('says why when the binary cannot be run', async () => {
    await expect(startToxiproxyServer({ bin: '/nonexistent/toxiproxy-server' })).rejects.toThrow(
      /could not be started: .*ENOENT/,
    );
  });
});
