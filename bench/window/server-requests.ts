/**
 * The probes' way to the target over HTTP. Every request is counted, by probe: what the harness itself
 * asks of the server during a window is recorded with the window (issue 21). The server's /metrics is
 * read once at each edge of the window, once no request is in flight, and shared by the probes that
 * need it (the query counter, the sweep's DB time).
 */
import { fetchOnce } from '../host/fetch-once.ts';
import { parseQueryCounts } from './metrics-text.ts';

const SETTLE_MS = 1_000; // longest wait for requests in flight to finish before an edge's scrape
const SETTLE_POLL_MS = 20;

export interface ServerClient {
  /** GET (or `init`'s method) a path of the target, counted; rejects as fetch does when nothing answers. */
  fetch(path: string, init?: { method?: string; timeoutMs?: number }): Promise<Response>;
  /** The server's /metrics text at the window's start or end, or null when it has none (metrics off, external). */
  metrics(edge: 'start' | 'end'): Promise<string | null>;
}

export interface ServerRequests {
  /** The client a probe uses: its requests are counted under its name. */
  as(probe: string): ServerClient;
  total(): number;
  byProbe(): Record<string, number>;
}

export function serverRequests(baseUrl: string): ServerRequests {
  const sent = new Map<string, number>();
  const edges = new Map<'start' | 'end', Promise<string | null>>();
  const as = (probe: string): ServerClient => {
    const client: ServerClient = {
      fetch(path, init = {}) {
        sent.set(probe, (sent.get(probe) ?? 0) + 1);
        return fetchOnce(`${baseUrl}${path}`, {
          method: init.method ?? 'GET',
          signal: AbortSignal.timeout(init.timeoutMs ?? 5_000),
        });
      },
      metrics(edge) {
        let text = edges.get(edge);
        if (!text) edges.set(edge, (text = settledMetrics(client)));
        return text;
      },
    };
    return client;
  };
  return {
    as,
    total: () => [...sent.values()].reduce((a, b) => a + b, 0),
    byProbe: () => Object.fromEntries(sent),
  };
}

/** /metrics once no request is in flight (or after SETTLE_MS), so that the window's edges do not blur its counts. */
async function settledMetrics(client: ServerClient): Promise<string | null> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    let text: string;
    try {
      const res = await client.fetch('/metrics');
      if (!res.ok) {
        await res.body?.cancel();
        return null; // metrics off: 404
      }
      text = await res.text();
    } catch {
      return null;
    }
    if (parseQueryCounts(text).inFlight <= 0 || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
  }
}
