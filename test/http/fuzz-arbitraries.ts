import fc from 'fast-check';
import { CONTRACT_TYPES } from '../../src/domain/job.ts';
import { LIMITS } from '../../src/http/schemas.ts';
import { INJECTIONS } from './bad-input-cases.ts';
import { jobBody, type Request } from './support.ts';

// Generated requests for test/http/fuzz.test.ts: hostile and plausible paths, query strings, bodies,
// headers, content types, encodings and sizes, mixed so that many requests get past the first check.

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
const ROUTES = ['/jobs', '/jobs/stats', '/ready', '/health', '/internal/process', '/metrics', '/'];
const QUERY_KEYS = ['q', 'limit', 'cursor', 'contract', 'remote', 'salaryMin', 'company', 'location', 'tags'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '',
  ';;;',
  'application/json; charset=',
];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'chunked', 'x-unknown', 'gzip, gzip'];

/** Strings that stress parsers: injections, unicode, control characters, percent signs, long runs. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...INJECTIONS,
    '',
    ' ',
    '%',
    '%00',
    '%E0%A4%A',
    '..',
    '../..',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '💥',
    '${x}',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(...CONTRACT_TYPES, 'true', 'false', '1', '20', '100', '101', '0'),
  fc.nat({ max: 3 * LIMITS.queryChars }).map((n) => 'a'.repeat(n)),
);

/** A value in a URL: usually percent-encoded, sometimes raw (invalid escapes, non-ASCII; no space, '#', '?', '&', '='). */
const urlPart = fc.tuple(nasty, fc.boolean()).map(([s, raw]) => (raw ? s.replace(/[\s#?&=]/g, '') : pct(s)));

/** Percent-encodes the UTF-8 bytes (encodeURIComponent throws on a lone surrogate; Buffer writes U+FFFD). */
function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
}

const path: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ROUTES),
  urlPart.map((id) => `/jobs/${id}`),
  fc.integer({ min: 1, max: 300 }).map((id) => `/jobs/${id}`),
  fc.array(urlPart, { minLength: 1, maxLength: 4 }).map((parts) => '/' + parts.join('/')),
  fc.constantFrom('//jobs', '/jobs/', '/JOBS', '/jobs/1/', '/jobs/stats/1', '/jobs/%2e%2e', '/jobs/1%2F2'),
);

const query: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), urlPart), urlPart), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${k}=${v}`).join('&')));

/** A job body with some fields replaced by anything JSON can hold, or removed, or extra ones added. */
const mutatedJob = fc
  .record({
    field: fc.constantFrom(...Object.keys(jobBody()), 'extra', '__proto__', 'constructor', 'id', 'postedAt'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty, fc.constant(undefined)),
    tags: fc.option(fc.array(nasty, { maxLength: LIMITS.tagsPerJob + 2 }), { nil: undefined }),
  })
  .map(({ field, value, tags }) => {
    const body: Record<string, unknown> = jobBody(tags === undefined ? {} : { tags });
    if (value === undefined) delete body[field];
    else body[field] = value;
    return JSON.stringify(body);
  });

const body: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(JSON.stringify(jobBody())),
  mutatedJob,
  mutatedJob,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  fc.constantFrom('{', '{"title":', '[]', 'null', '""', '{"a":1}{"b":2}', '\uFEFF{}', '{"__proto__":{"x":1}}'),
  fc.nat({ max: 100 * 1024 }).map((n) => JSON.stringify({ ...jobBody(), description: 'd'.repeat(n) })),
);

const headers: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-type': fc.oneof(
        fc.constantFrom(...CONTENT_TYPES),
        nasty.map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      ),
      'content-encoding': fc.constantFrom(...ENCODINGS),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
      'x-forwarded-for': fc.constantFrom('127.0.0.1', "'; DROP TABLE jobs; --", '::1'),
      'accept-encoding': fc.constantFrom(...ENCODINGS),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')));

const anything: fc.Arbitrary<Request> = fc
  .record({ method: fc.constantFrom(...METHODS), path, query, body, headers })
  .map(({ method, path, query, body, headers }) => ({
    method,
    url: path + query,
    headers,
    ...(body !== undefined && method !== 'GET' && method !== 'HEAD' && { payload: body }),
  }));

// Requests a real client would send, with hostile values: these reach the validator's far end, the
// queries and the INSERT, where a random request mostly stops at the router or the content type.
const plausible: fc.Arbitrary<Request> = fc.oneof<fc.Arbitrary<Request>[]>(
  fc.tuple(mutatedJob, fc.boolean()).map(([payload, valid]) => ({
    method: 'POST',
    url: '/jobs',
    headers: { 'content-type': 'application/json' },
    payload: valid ? JSON.stringify(jobBody({ title: payload.slice(0, LIMITS.titleChars) })) : payload,
  })),
  query.map((q) => ({ method: 'GET', url: `/jobs${q}` })),
  fc.integer({ min: -5, max: 400 }).map((id) => ({ method: 'GET', url: `/jobs/${id}` })),
);

/** One generated request, as app.inject() takes it. */
export const requests: fc.Arbitrary<Request> = fc.oneof(anything, plausible);
