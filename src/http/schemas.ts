import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CONTRACT_TYPES, type ContractType } from '../domain/job.ts';

/**
 * JSON schemas of every request and response (TypeBox builds plain JSON Schema). Requests are validated
 * by Ajv (src/http/validator.ts); responses are serialized by fast-json-stringify from the same schemas.
 * The limits keep any one request small and cheap; they are documented in docs/readme/api.md.
 */
export const LIMITS = {
  titleChars: 200,
  companyChars: 100,
  locationChars: 100,
  descriptionChars: 10_000,
  queryChars: 200, // q
  tagChars: 50,
  tagsPerJob: 20,
  tagsPerQuery: 10,
  salaryMax: 2_147_483_647, // PostgreSQL integer
  pageDefault: 20,
  pageMax: 100,
} as const;

/**
 * `type: [t, 'null']` rather than a union: fast-json-stringify serializes it directly, whereas an
 * anyOf costs a schema check per value on every response (a page holds 100 jobs).
 */
function nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

// PostgreSQL text cannot hold U+0000: without this, a NUL byte would be a driver error (a 500).
const NO_NUL = '^[^\\u0000]*$';
const text = (maxLength: number, minLength = 1) =>
  Type.String({ minLength, maxLength, pattern: NO_NUL, patternMessage: 'must not contain NUL characters' });
const salary = Type.Integer({ minimum: 0, maximum: LIMITS.salaryMax });
// An enum rather than a union of literals: Ajv then says "must be equal to one of the allowed values".
const contract = Type.Unsafe<ContractType>(Type.String({ enum: [...CONTRACT_TYPES] }));
const tag = Type.String({
  minLength: 1,
  maxLength: LIMITS.tagChars,
  pattern: '^[^\\u0000,]*$',
  patternMessage: 'must not contain commas or NUL characters',
});

export const JobSchema = Type.Object({
  id: Type.String({ description: 'bigint as a decimal string' }),
  title: Type.String(),
  company: Type.String(),
  location: Type.String(),
  contract,
  remote: Type.Boolean(),
  salaryMin: nullable(Type.Integer()),
  salaryMax: nullable(Type.Integer()),
  tags: Type.Array(Type.String()),
  description: Type.String(),
  postedAt: Type.String({ description: 'ISO 8601, UTC, milliseconds' }),
});

export const NewJobBody = Type.Object(
  {
    title: text(LIMITS.titleChars),
    company: text(LIMITS.companyChars),
    location: text(LIMITS.locationChars),
    contract,
    remote: Type.Boolean(),
    salaryMin: Type.Optional(nullable(salary)),
    salaryMax: Type.Optional(nullable(salary)),
    tags: Type.Optional(Type.Array(tag, { maxItems: LIMITS.tagsPerJob, uniqueItems: true })),
    description: text(LIMITS.descriptionChars),
    postedAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type NewJobBody = Static<typeof NewJobBody>;

export const JobIdParams = Type.Object(
  // The pattern rules out signs, spaces and leading zeros; the handler checks the bigint range.
  {
    id: Type.String({ pattern: '^[1-9][0-9]{0,18}$', patternMessage: 'must be a positive integer that fits a bigint' }),
  },
  { additionalProperties: false },
);

/**
 * Query values are strings and stay strings: numbers and booleans are matched by pattern, not coerced,
 * so that "", " 1", "1e3", "0x10" or "yes" are 400s rather than surprising filters. The handler converts.
 */
export const SearchQuery = Type.Object(
  {
    q: Type.Optional(text(LIMITS.queryChars)),
    location: Type.Optional(text(LIMITS.locationChars)),
    company: Type.Optional(text(LIMITS.companyChars)),
    contract: Type.Optional(contract),
    remote: Type.Optional(Type.Unsafe<'true' | 'false'>(Type.String({ enum: ['true', 'false'] }))),
    // the int4 upper bound is checked by the handler
    salaryMin: Type.Optional(
      Type.String({
        pattern: '^(0|[1-9][0-9]{0,9})$',
        patternMessage: `must be a whole number from 0 to ${LIMITS.salaryMax}`,
      }),
    ),
    // a,b,c: at most tagsPerQuery tags of at most tagChars each, no empty ones
    tags: Type.Optional(
      Type.String({
        pattern: `^[^\\u0000,]{1,${LIMITS.tagChars}}(,[^\\u0000,]{1,${LIMITS.tagChars}}){0,${LIMITS.tagsPerQuery - 1}}$`,
        patternMessage: `must be 1 to ${LIMITS.tagsPerQuery} comma-separated tags of 1 to ${LIMITS.tagChars} characters, without NUL`,
      }),
    ),
    limit: Type.Optional(
      Type.String({
        pattern: '^([1-9]|[1-9][0-9]|100)$',
        patternMessage: `must be a whole number from 1 to ${LIMITS.pageMax}`,
      }),
    ),
    cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const JobPageSchema = Type.Object({
  items: Type.Array(JobSchema),
  nextCursor: nullable(Type.String()),
});

export const StatsSchema = Type.Object({
  total: Type.Integer(),
  byContract: Type.Object(Object.fromEntries(CONTRACT_TYPES.map((c) => [c, Type.Integer()]))),
  remoteShare: Type.Number(),
  avgSalaryMin: nullable(Type.Number()),
  avgSalaryMax: nullable(Type.Number()),
  topLocations: Type.Array(Type.Object({ location: Type.String(), count: Type.Integer() })),
});

export const ErrorSchema = Type.Object({
  code: Type.String({ description: 'a code of the catalogue in src/errors.ts' }),
  message: Type.String(),
});

/** The error responses every route can give, so that they are serialized like the rest. */
export const ERROR_RESPONSES = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

export const HealthSchema = Type.Object({ status: Type.Literal('ok') });
export const ReadySchema = Type.Object({ status: Type.Literal('ready') });

export const NoQuery = Type.Object({}, { additionalProperties: false });

export const ProcessQuery = Type.Object(
  { reset: Type.Optional(Type.Unsafe<'0' | '1'>(Type.String({ enum: ['0', '1'] }))) },
  { additionalProperties: false },
);

export const ProcessSchema = Type.Object({
  pid: Type.Integer(),
  uptimeS: Type.Number(),
  cpuUserUs: Type.Integer(),
  cpuSystemUs: Type.Integer(),
  rssBytes: Type.Integer(),
  maxRssBytes: Type.Integer(),
  eventLoop: Type.Object({
    resolutionMs: Type.Number(),
    sinceResetS: Type.Number(),
    samples: Type.Integer(),
    meanDelayMs: Type.Number(),
    maxDelayMs: Type.Number(),
    p99DelayMs: Type.Number(),
  }),
  poolStats: nullable(Type.Object({ total: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() })),
  // `jobbench serve --workers N`: the report covers the primary and its N workers (src/cluster/)
  workers: Type.Optional(Type.Integer()),
});
export type ProcessReport = Static<typeof ProcessSchema>;
