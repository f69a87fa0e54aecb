/**
 * The building blocks of the results schema (TypeBox: each one is a JSON Schema and a TypeScript type).
 * They emit the JSON Schema 2020-12 that Ajv2020 checks (io.ts), not TypeBox's draft-07 forms where
 * the two differ (a tuple's `items` array), and say the same as the hand-written schema did before.
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

export const count = Type.Integer({ minimum: 0 });
export const positiveInt = Type.Integer({ minimum: 1 });
export const nonNegative = Type.Number({ minimum: 0 });
export const nonEmpty = Type.String({ minLength: 1 });

/** ISO 8601 with a zone (what Date.prototype.toISOString writes, or an offset). */
export const isoTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
});

/** `null` or the value. */
export const nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

/**
 * One of a closed set (an `as const` table). An `enum` rather than a union of literals: Ajv then says
 * "must be equal to one of the allowed values" and io.ts lists them.
 */
export const oneOf = <const V extends readonly string[]>(values: V): TUnsafe<V[number]> =>
  Type.Unsafe<V[number]>({ enum: [...values] });

/** An object of any keys whose values all match `values` (`"200" -> count`). */
export const record = <T extends TSchema>(values: T): TUnsafe<Record<string, Static<T>>> =>
  Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: values });

/** Any object: its shape belongs to whoever wrote it (`config`, a kind's `extra`). */
export const anyObject = Type.Unsafe<Record<string, unknown>>({ type: 'object' });

/** Exactly two numbers (draft 2020-12 `prefixItems`: TypeBox's Tuple writes draft-07 `items: [...]`). */
export const numberPair = Type.Unsafe<[number, number]>({
  type: 'array',
  prefixItems: [{ type: 'number' }, { type: 'number' }],
  minItems: 2,
  maxItems: 2,
});
