import type { Keyset } from './domain/job.ts';
import { JobbenchError } from './errors.ts';

/**
 * The opaque pagination cursor: base64url of `["<postedAt ISO>","<id>"]`, the keyset of the last row
 * of the previous page. Opaque so that clients cannot build one and we can change it later; decoded
 * strictly so that anything we did not issue is a 400 (never a 500 from a bad cast in SQL).
 */

const MAX_CURSOR_CHARS = 128; // an encoded keyset is about 60 characters
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ID = /^[1-9]\d{0,18}$/;
export const MAX_BIGINT = 9_223_372_036_854_775_807n; // PostgreSQL bigint

/** True when `id` is a positive decimal integer that fits a PostgreSQL bigint. */
export function isBigintId(id: string): boolean {
  return ID.test(id) && BigInt(id) <= MAX_BIGINT;
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.postedAt, keyset.id])).toString('base64url');
}

function bad(): JobbenchError {
  return new JobbenchError('JOBBENCH_ERR_BAD_CURSOR');
}

/** The keyset inside a cursor; throws JOBBENCH_ERR_BAD_CURSOR for anything encodeCursor did not produce. */
export function decodeCursor(cursor: string): Keyset {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_CHARS || !BASE64URL.test(cursor)) throw bad();
  const bytes = Buffer.from(cursor, 'base64url');
  // Node's decoder skips junk silently; re-encoding must give back the exact input.
  if (bytes.toString('base64url') !== cursor) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 2) throw bad();
  const [postedAt, id] = value as unknown[];
  if (typeof postedAt !== 'string' || typeof id !== 'string') throw bad();
  if (!ISO_MS.test(postedAt) || !isBigintId(id)) throw bad();
  const time = new Date(postedAt);
  // Rejects impossible dates that the pattern lets through (2025-02-30T…, 25:00).
  if (Number.isNaN(time.getTime()) || time.toISOString() !== postedAt) throw bad();
  return { postedAt, id };
}
