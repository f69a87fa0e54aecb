import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * fetch for the harness's own requests to a target (probes, readiness polls, facts): one connection per
 * request, closed after it (`Connection: close`, no agent). The global fetch keeps its connection open for
 * as long as the server allows (Fastify: 72 s), and an open connection is what tells a jobbench server
 * that a client is there: its 1 kHz event-loop histogram then keeps running while the server sits idle
 * between its windows, and an idle server doing that slowed the server measured beside it by ~30% on
 * /health (scripts/idle-neighbour.sh, src/http/process-monitor.ts). A new connection per request costs
 * the server a few tens of µs; the harness sends a few per window.
 */
export function fetchOnce(
  url: string,
  init: { method?: string; signal?: AbortSignal; body?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        agent: false,
        headers: { connection: 'close', ...init.headers },
        ...(init.signal && { signal: init.signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 500;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers }));
        });
      },
    );
    req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
    req.end(init.body);
  });
}
