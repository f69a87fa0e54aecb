import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isBigintId } from '../../src/cursor.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('cursor', () => {
  it.each([
    { postedAt: '2025-01-01T00:00:00.000Z', id: '1' },
    { postedAt: '1970-01-01T00:00:00.000Z', id: '9223372036854775807' },
    { postedAt: '9999-12-31T23:59:59.999Z', id: '42' },
  ])('round-trips %o, opaque and URL-safe', (keyset) => {
    const cursor = encodeCursor(keyset);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(keyset);
  });

  const good = encodeCursor({ postedAt: '2025-01-01T00:00:00.000Z', id: '1' });
  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/'],
    ['padded', `${good}=`],
    ['truncated', good.slice(0, -1)],
    ['too long', 'A'.repeat(129)],
    ['not JSON', b64('hello')],
    ['an object', b64('{"postedAt":"2025-01-01T00:00:00.000Z","id":"1"}')],
    ['one element', b64('["2025-01-01T00:00:00.000Z"]')],
    ['three elements', b64('["2025-01-01T00:00:00.000Z","1","x"]')],
    ['a numeric id', b64('["2025-01-01T00:00:00.000Z",1]')],
    ['id 0', b64('["2025-01-01T00:00:00.000Z","0"]')],
    ['id with a leading zero', b64('["2025-01-01T00:00:00.000Z","01"]')],
    ['id past bigint', b64('["2025-01-01T00:00:00.000Z","9223372036854775808"]')],
    ['id with SQL', b64('["2025-01-01T00:00:00.000Z","1 OR 1=1"]')],
    ['date without milliseconds', b64('["2025-01-01T00:00:00Z","1"]')],
    ['date with an offset', b64('["2025-01-01T00:00:00.000+01:00","1"]')],
    ['impossible date', b64('["2025-02-30T00:00:00.000Z","1"]')],
    ['hour 24', b64('["2025-01-01T24:00:00.000Z","1"]')],
    ['date with SQL', b64('["2025\'; DROP TABLE jobs; --","1"]')],
  ])('rejects %s with JOBBENCH_ERR_BAD_CURSOR', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({ code: 'JOBBENCH_ERR_BAD_CURSOR', status: 400 }),
    );
  });

  it.each([
    ['1', true],
    ['9223372036854775807', true],
    ['9223372036854775808', false],
    ['0', false],
    ['-1', false],
    ['01', false],
    ['1.0', false],
    ['', false],
  ])('isBigintId(%s) is %s', (id, expected) => {
    expect(isBigintId(id)).toBe(expected);
  });
});
