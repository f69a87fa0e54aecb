import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOnce } from '../../bench/host/fetch-once.ts';

// The harness's own requests leave no connection open behind them (bench/host/fetch-once.ts): an open
// connection keeps a jobbench server's 1 kHz event-loop histogram running while it sits idle.

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/empty') return res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'application/json', 'x-method': req.method! });
    req.pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const openConnections = () => new Promise<number>((r) => server.getConnections((_e, n) => r(n)));

describe('fetchOnce', () => {
  it('answers as fetch does and closes its connection', async () => {
    const res = await fetchOnce(`${base}/x`, { method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-method')).toBe('POST');
    expect(await res.json()).toEqual({ a: 1 });
    for (let i = 0; i < 50 && (await openConnections()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await openConnections()).toBe(0);
    expect((await fetchOnce(`${base}/empty`)).status).toBe(204);
  });

  it('rejects like fetch when nothing answers, and on its signal', async () => {
    await expect(fetchOnce('http://127.0.0.1:1/')).rejects.toThrow(/fetch failed/);
    await expect(fetchOnce(`${base}/x`, { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
