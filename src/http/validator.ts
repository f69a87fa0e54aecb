import { Ajv, type ErrorObject, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation with one Ajv, configured against Fastify's lenient defaults:
 * - no type coercion: query and path values stay strings and are matched by pattern (src/http/schemas.ts),
 *   a repeated parameter (?limit=1&limit=2) arrives as an array and is rejected; bodies are JSON, so
 *   {"remote": "yes"} or {"salaryMin": "10"} is a 400;
 * - unknown properties are rejected (Fastify's default removes them silently);
 * - validation stops at the first error, so that its work is bounded whatever the input.
 * verbose: errors carry their schema, so that a pattern can explain itself (patternMessage below).
 */
const OPTIONS: Options = { coerceTypes: false, removeAdditional: false, allErrors: false, strict: true, verbose: true };

// RFC 3339 date-time with a zone, within what a JS Date (and the cursor, src/cursor.ts) round-trips.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const MIN_DATE_MS = Date.UTC(1970, 0, 1);
const MAX_DATE_MS = Date.UTC(10_000, 0, 1) - 1;

/** Strict: V8's Date.parse accepts 2025-02-30 (as March 2) and 24:00, so the fields are checked first. */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= MIN_DATE_MS && ms <= MAX_DATE_MS;
}

function createAjv(): Ajv {
  const ajv = new Ajv(OPTIONS);
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  // An annotation: what to say instead of 'must match pattern "^…$"'.
  ajv.addKeyword({ keyword: 'patternMessage', schemaType: 'string' });
  return ajv;
}

const ajv = createAjv();

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => ajv.compile(schema as object);

/** "querystring/limit must be <= 100": the first error, with the schema's patternMessage for patterns. */
export function formatValidationError(errors: Partial<ErrorObject>[], dataVar: string): Error {
  const e = errors[0] ?? {};
  const path = `${dataVar}${e.instancePath ?? ''}`;
  const custom =
    e.keyword === 'pattern' ? (e.parentSchema as { patternMessage?: string } | undefined)?.patternMessage : undefined;
  let message = custom ?? e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') {
    message = `must NOT have the unknown property "${String(e.params?.additionalProperty).slice(0, 64)}"`;
  }
  return new Error(`${path} ${message}`);
}
