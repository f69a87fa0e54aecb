import type { Request } from '../http/support.ts';

/** What the contract suite reads of a response: status, headers, raw body and its JSON when it is JSON. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * One request over a real socket (fetch), from a string URL or the app.inject() shape of the bad-input
 * table: an object payload is sent as JSON (inject's default content type), a string as it is.
 */
export async function send(baseUrl: string, request: Request | string): Promise<HttpResponse> {
  const r: Request = typeof request === 'string' ? { method: 'GET', url: request } : request;
  const headers = new Headers((r.headers ?? {}) as Record<string, string>);
  let body: string | undefined;
  if (r.payload !== undefined) {
    body = typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload);
    if (typeof r.payload !== 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const res = await fetch(`${baseUrl}${r.url}`, {
    method: r.method ?? 'GET',
    headers,
    ...(body !== undefined && { body }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
