/**
 * A typed client of Toxiproxy's HTTP API (v2.5.0, README "HTTP API"; routes in its api.go): proxies
 * listen → upstream, switched on and off, with toxics that degrade the traffic through them.
 * Wire attribute names are Toxiproxy's; the helpers in `toxics` take jobbench's unit-suffixed names.
 */

export type ToxicStream = 'upstream' | 'downstream'; // upstream: client → server; downstream: server → client

/** The toxics jobbench uses, with their attributes as Toxiproxy names them (times in ms, rate in KB/s). */
export interface ToxicAttributes {
  latency: { latency: number; jitter: number }; // delay = latency ± jitter, ms
  reset_peer: { timeout: number }; // TCP RST after `timeout` ms (0: at once)
  timeout: { timeout: number }; // stop all data, close after `timeout` ms (0: hold until removed)
  bandwidth: { rate: number }; // KB/s
}
export type ToxicType = keyof ToxicAttributes;
export const TOXIC_TYPES = ['latency', 'reset_peer', 'timeout', 'bandwidth'] as const satisfies readonly ToxicType[];

export interface ToxicSpec<T extends ToxicType = ToxicType> {
  type: T;
  name?: string; // Toxiproxy's default: `<type>_<stream>`
  stream?: ToxicStream; // Toxiproxy's default: downstream
  toxicity?: number; // share of connections affected, 0..1 (default 1)
  attributes: ToxicAttributes[T];
}

export interface Toxic {
  name: string;
  type: string;
  stream: ToxicStream;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface Proxy {
  name: string;
  listen: string; // "127.0.0.1:41234": the actual port when created with port 0
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

export interface ProxySpec {
  name: string;
  upstream: string; // "127.0.0.1:5432"
  listen?: string; // default "127.0.0.1:0": Toxiproxy picks a free port and reports it
  enabled?: boolean; // default true
}

/** Toxic specs from jobbench's unit-suffixed options. */
export const toxics = {
  latency: (o: {
    latencyMs: number;
    jitterMs?: number;
    stream?: ToxicStream;
    name?: string;
  }): ToxicSpec<'latency'> => ({
    type: 'latency',
    name: o.name,
    stream: o.stream,
    attributes: { latency: o.latencyMs, jitter: o.jitterMs ?? 0 },
  }),
  resetPeer: (o: { afterMs?: number; stream?: ToxicStream; name?: string } = {}): ToxicSpec<'reset_peer'> => ({
    type: 'reset_peer',
    name: o.name,
    stream: o.stream,
    attributes: { timeout: o.afterMs ?? 0 },
  }),
  timeout: (o: { closeAfterMs: number; stream?: ToxicStream; name?: string }): ToxicSpec<'timeout'> => ({
    type: 'timeout',
    name: o.name,
    stream: o.stream,
    attributes: { timeout: o.closeAfterMs },
  }),
  bandwidth: (o: { rateKBps: number; stream?: ToxicStream; name?: string }): ToxicSpec<'bandwidth'> => ({
    type: 'bandwidth',
    name: o.name,
    stream: o.stream,
    attributes: { rate: o.rateKBps },
  }),
} as const;

/** A non-2xx answer of the API, with Toxiproxy's own message ("proxy not found", "toxic already exists"). */
export class ToxiproxyApiError extends Error {
  override name = 'ToxiproxyApiError';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(`toxiproxy ${method} ${path}: ${status} ${detail}`);
  }
}

export interface ToxiproxyClient {
  readonly apiUrl: string;
  /** The server's version ("2.5.0"; "git" for an unstamped build). */
  version(): Promise<string>;
  listProxies(): Promise<Proxy[]>;
  getProxy(name: string): Promise<Proxy>;
  createProxy(spec: ProxySpec): Promise<Proxy>;
  /** Deletes the proxy and drops its connections. */
  deleteProxy(name: string): Promise<void>;
  /** Disabling closes the listener and every open connection; enabling listens again on the same address. */
  setEnabled(name: string, enabled: boolean): Promise<Proxy>;
  listToxics(proxy: string): Promise<Toxic[]>;
  addToxic<T extends ToxicType>(proxy: string, spec: ToxicSpec<T>): Promise<Toxic>;
  removeToxic(proxy: string, toxic: string): Promise<void>;
  /** Enables every proxy and removes every toxic. */
  reset(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 5_000; // the API answers in microseconds; a hang means the server is gone

export function createToxiproxyClient(apiUrl: string): ToxiproxyClient {
  const base = apiUrl.replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<string> => {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new ToxiproxyApiError(res.status, method, path, errorDetail(text));
    return text;
  };
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    JSON.parse(await call(method, path, body)) as T;
  const p = (name: string) => `/proxies/${encodeURIComponent(name)}`;

  return {
    apiUrl: base,
    version: async () => (await call('GET', '/version')).trim(),
    listProxies: async () => Object.values(await json<Record<string, Proxy>>('GET', '/proxies')),
    getProxy: (name) => json<Proxy>('GET', p(name)),
    createProxy: (spec) => json<Proxy>('POST', '/proxies', { listen: '127.0.0.1:0', enabled: true, ...spec }),
    deleteProxy: async (name) => void (await call('DELETE', p(name))),
    setEnabled: (name, enabled) => json<Proxy>('POST', p(name), { enabled }),
    listToxics: (proxy) => json<Toxic[]>('GET', `${p(proxy)}/toxics`),
    addToxic: (proxy, spec) => json<Toxic>('POST', `${p(proxy)}/toxics`, spec),
    removeToxic: async (proxy, toxic) => void (await call('DELETE', `${p(proxy)}/toxics/${encodeURIComponent(toxic)}`)),
    reset: async () => void (await call('POST', '/reset')),
  };
}

/** Toxiproxy answers errors as {"error": "...", "status": N} (with a text/plain content type). */
function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: use the text
  }
  return text.trim().slice(0, 200);
}
