import { DEFAULTS } from '../../src/config.ts';
import { encodeCursor } from '../../src/cursor.ts';
import { LIMITS } from '../../src/http/schemas.ts';
import { jobBody, type Request } from './support.ts';

// A table of malformed and hostile requests: each gets its 4xx and code, none a 500, and afterwards the
// database holds exactly the rows (and tables) it held before. Used through app.inject() per adapter
// (bad-inputs.test.ts) and over real sockets per target (test/contract/http-contract.ts).

export const INJECTIONS = [
  "'; DROP TABLE jobs; --",
  "1' OR '1'='1",
  '1; DELETE FROM jobs',
  '1 UNION SELECT * FROM pg_user',
  "$1'); TRUNCATE jobs; --",
  '\\x27; DROP TABLE jobs',
];
const enc = encodeURIComponent;
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const post = (payload: unknown, headers: Record<string, string> = {}): Request => ({
  method: 'POST',
  url: '/jobs',
  ...(typeof payload === 'string'
    ? { payload, headers: { 'content-type': 'application/json', ...headers } }
    : { payload: payload as object, headers }),
});

export type Case = [name: string, request: Request | string, status: number, code: string];

const V = 'JOBBENCH_ERR_VALIDATION';
const CURSOR = 'JOBBENCH_ERR_BAD_CURSOR';
const JSON_ = 'JOBBENCH_ERR_BAD_JSON';

export const CASES: Case[] = [
  // path id
  ...[
    'abc',
    '0',
    '-1',
    '1.5',
    '01',
    '1e3',
    '+1',
    '%201',
    '0x10',
    '9223372036854775808',
    '99999999999999999999',
    '%E0%A4%A',
    '1'.repeat(150),
  ].map((id): Case => [`id ${id.slice(0, 24)}`, `/jobs/${id}`, 400, V]),
  ...INJECTIONS.map((s): Case => [`id injection ${s}`, `/jobs/${enc(s)}`, 400, V]),
  // limit
  ...['0', '101', '-1', 'abc', '1.5', '', ' 1', '+1', '1e1', '0x10', '010', '1e309', '20 OR 1=1'].map((l): Case => [
    `limit=${l}`,
    `/jobs?limit=${enc(l)}`,
    400,
    V,
  ]),
  ['limit repeated', '/jobs?limit=1&limit=2', 400, V],
  // enums and booleans
  ['contract=nope', '/jobs?contract=nope', 400, V],
  ['contract=FULL-TIME', '/jobs?contract=FULL-TIME', 400, V],
  ['remote=yes', '/jobs?remote=yes', 400, V],
  ['remote=1', '/jobs?remote=1', 400, V],
  ['remote=TRUE', '/jobs?remote=TRUE', 400, V],
  ['remote empty', '/jobs?remote=', 400, V],
  // numbers
  ...['-1', 'abc', '2147483648', '99999999999', '1.5', '0x10', '1e3', '', ' 1', '01'].map((n): Case => [
    `salaryMin=${n}`,
    `/jobs?salaryMin=${enc(n)}`,
    400,
    V,
  ]),
  // strings and tags
  ['q empty', '/jobs?q=', 400, V],
  ['q too long', `/jobs?q=${'a'.repeat(LIMITS.queryChars + 1)}`, 400, V],
  ['q with NUL', '/jobs?q=a%00b', 400, V],
  ['location with NUL', '/jobs?location=%00', 400, V],
  ['company too long', `/jobs?company=${'c'.repeat(LIMITS.companyChars + 1)}`, 400, V],
  ['q repeated', '/jobs?q=a&q=b', 400, V],
  ['tags empty item', '/jobs?tags=a,,b', 400, V],
  ['tags only a comma', '/jobs?tags=,', 400, V],
  [
    'tags too many',
    `/jobs?tags=${Array.from({ length: LIMITS.tagsPerQuery + 1 }, (_, i) => `t${i}`).join(',')}`,
    400,
    V,
  ],
  ['tag too long', `/jobs?tags=${'t'.repeat(LIMITS.tagChars + 1)}`, 400, V],
  ['unknown parameter', '/jobs?foo=1', 400, V],
  ['unknown parameter on stats', '/jobs/stats?x=1', 400, V],
  ['unknown parameter on get', '/jobs/1?x=1', 400, V],
  // every filter with injection strings that the schema rejects
  ...INJECTIONS.flatMap((s): Case[] => [
    [`contract injection ${s}`, `/jobs?contract=${enc(s)}`, 400, V],
    [`remote injection ${s}`, `/jobs?remote=${enc(s)}`, 400, V],
    [`salaryMin injection ${s}`, `/jobs?salaryMin=${enc(s)}`, 400, V],
    [`limit injection ${s}`, `/jobs?limit=${enc(s)}`, 400, V],
    [`cursor injection ${s}`, `/jobs?cursor=${enc(s)}`, 400, CURSOR],
    [
      `cursor with injected id ${s}`,
      `/jobs?cursor=${b64(JSON.stringify(['2025-01-01T00:00:00.000Z', s]))}`,
      400,
      CURSOR,
    ],
    [`cursor with injected date ${s}`, `/jobs?cursor=${b64(JSON.stringify([s, '1']))}`, 400, CURSOR],
  ]),
  // cursors
  ...[
    'garbage!',
    'AAAA',
    b64('not json'),
    b64('{"p":1}'),
    b64('["x","1"]'),
    b64('["2025-01-01T00:00:00.000Z","0"]'),
    b64('["2025-01-01T00:00:00.000Z",1]'),
    b64('["2025-02-30T00:00:00.000Z","1"]'),
    b64('["2025-01-01T00:00:00Z","1"]'),
    b64('["2025-01-01T00:00:00.000Z","1","extra"]'),
    b64('["2025-01-01T00:00:00.000Z","9223372036854775808"]'),
    encodeCursor({ postedAt: '2025-01-01T00:00:00.000Z', id: '1' }) + '=',
    encodeCursor({ postedAt: '2025-01-01T00:00:00.000Z', id: '1' }).slice(0, -1),
    'A'.repeat(1_000),
    '',
  ].map((c, i): Case => [`garbage cursor #${i}`, `/jobs?cursor=${enc(c)}`, 400, CURSOR]),
  ['cursor repeated', `/jobs?cursor=a&cursor=b`, 400, V],
  // bodies
  ['no body', { method: 'POST', url: '/jobs' }, 400, V],
  ['empty JSON body', post(''), 400, JSON_],
  ['malformed JSON', post('{"title": '), 400, JSON_],
  ['trailing garbage', post(JSON.stringify(jobBody()) + 'x'), 400, JSON_],
  ['__proto__ key', post('{"__proto__": {"admin": true}}'), 400, JSON_],
  ['constructor.prototype key', post('{"constructor": {"prototype": {"admin": true}}}'), 400, JSON_],
  ['null body', post('null'), 400, V],
  ['array body', post('[]'), 400, V],
  ['string body', post('"job"'), 400, V],
  ['number body', post('42'), 400, V],
  ['missing title', post({ ...jobBody(), title: undefined }), 400, V],
  ['title is a number', post(jobBody({ title: 123 })), 400, V],
  ['title is empty', post(jobBody({ title: '' })), 400, V],
  ['title too long', post(jobBody({ title: 't'.repeat(LIMITS.titleChars + 1) })), 400, V],
  ['title with NUL', post(jobBody({ title: 'a\u0000b' })), 400, V],
  ['description too long', post(jobBody({ description: 'd'.repeat(LIMITS.descriptionChars + 1) })), 400, V],
  ['remote as a string', post(jobBody({ remote: 'true' })), 400, V],
  ['salaryMin as a string', post(jobBody({ salaryMin: '40000' })), 400, V],
  ['salaryMin negative', post(jobBody({ salaryMin: -1 })), 400, V],
  ['salaryMin fractional', post(jobBody({ salaryMin: 1.5 })), 400, V],
  ['salaryMax past int4', post(jobBody({ salaryMax: 2 ** 31 })), 400, V],
  ['salaryMin > salaryMax', post(jobBody({ salaryMin: 60_000, salaryMax: 50_000 })), 400, V],
  ['contract unknown', post(jobBody({ contract: 'volunteer' })), 400, V],
  ['tags not an array', post(jobBody({ tags: 'a,b' })), 400, V],
  ['tags of numbers', post(jobBody({ tags: [1, 2] })), 400, V],
  ['tags too many', post(jobBody({ tags: Array.from({ length: LIMITS.tagsPerJob + 1 }, (_, i) => `t${i}`) })), 400, V],
  ['tag too long', post(jobBody({ tags: ['t'.repeat(LIMITS.tagChars + 1)] })), 400, V],
  ['tag with a comma', post(jobBody({ tags: ['a,b'] })), 400, V],
  ['duplicate tags', post(jobBody({ tags: ['a', 'a'] })), 400, V],
  ['postedAt not a date', post(jobBody({ postedAt: 'yesterday' })), 400, V],
  ['postedAt impossible day', post(jobBody({ postedAt: '2025-02-30T00:00:00Z' })), 400, V],
  ['postedAt without zone', post(jobBody({ postedAt: '2025-01-01T00:00:00' })), 400, V],
  ['postedAt before 1970', post(jobBody({ postedAt: '1969-12-31T23:59:59Z' })), 400, V],
  ['postedAt a number', post(jobBody({ postedAt: 1_700_000_000_000 })), 400, V],
  ['id in the body', post(jobBody({ id: '1' })), 400, V],
  ['unknown field', post(jobBody({ admin: true })), 400, V],
  ['query string on POST', { ...post(jobBody()), url: '/jobs?x=1' }, 400, V],
  ...INJECTIONS.flatMap((s): Case[] => [
    [`contract injection in body ${s}`, post(jobBody({ contract: s })), 400, V],
    [`salaryMin injection in body ${s}`, post(jobBody({ salaryMin: s })), 400, V],
    [`postedAt injection in body ${s}`, post(jobBody({ postedAt: s })), 400, V],
    [`injection as a field name ${s}`, post(jobBody({ [s]: 1 })), 400, V],
  ]),
  ['deeply nested body', post(`{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`), 400, V],
  [
    'body over the limit',
    post(JSON.stringify(jobBody({ description: 'd'.repeat(DEFAULTS.bodyLimitBytes) }))),
    413,
    'JOBBENCH_ERR_BODY_TOO_LARGE',
  ],
  ['huge body over the limit', post('x'.repeat(4 * DEFAULTS.bodyLimitBytes)), 413, 'JOBBENCH_ERR_BODY_TOO_LARGE'],
  [
    'text/plain body',
    { method: 'POST', url: '/jobs', payload: JSON.stringify(jobBody()), headers: { 'content-type': 'text/plain' } },
    415,
    'JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'form body',
    {
      method: 'POST',
      url: '/jobs',
      payload: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    415,
    'JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'xml body',
    { method: 'POST', url: '/jobs', payload: '<job/>', headers: { 'content-type': 'application/xml' } },
    415,
    'JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE',
  ],
  // routes
  ['unknown route', '/admin', 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND'],
  ['DELETE a job', { method: 'DELETE', url: '/jobs/1' }, 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND'],
  ['PUT the collection', { method: 'PUT', url: '/jobs', payload: {} }, 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND'],
  ['path traversal', '/jobs/..%2F..%2Fetc%2Fpasswd', 400, V],
  ['injection as a route', `/${enc(INJECTIONS[0]!)}`, 404, 'JOBBENCH_ERR_ROUTE_NOT_FOUND'],
];

// Valid requests whose values are hostile strings: the filters take them as data (200, no match).
export const ACCEPTED: [string, string][] = INJECTIONS.flatMap((s): [string, string][] => [
  [`q=${s}`, `/jobs?q=${enc(s)}`],
  [`location=${s}`, `/jobs?location=${enc(s)}`],
  [`company=${s}`, `/jobs?company=${enc(s)}`],
  [`tags=${s}`, `/jobs?tags=${enc(s.replaceAll(',', ' '))}`],
]);
