import { describe, expect, it } from 'vitest';
import { JobbenchError } from '../../src/errors.ts';
import { toErrorReply } from '../../src/http/error-reply.ts';
import { isDateTime } from '../../src/http/validator.ts';

// The one mapping from anything thrown to the API's error body.
const fastifyError = (code: string, statusCode: number, message = 'fastify says') =>
  Object.assign(new Error(message), { code, statusCode });

describe('toErrorReply', () => {
  it.each([
    [
      'a JobbenchError keeps its code, status and message',
      new JobbenchError('JOBBENCH_ERR_NOT_FOUND', 'gone'),
      404,
      'JOBBENCH_ERR_NOT_FOUND',
      'gone',
    ],
    [
      'a 503 JobbenchError',
      new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE'),
      503,
      'JOBBENCH_ERR_DB_UNAVAILABLE',
      undefined,
    ],
    [
      'a schema validation error keeps its message',
      Object.assign(fastifyError('FST_ERR_VALIDATION', 400, 'querystring/limit must be <= 100'), { validation: [] }),
      400,
      'JOBBENCH_ERR_VALIDATION',
      'querystring/limit must be <= 100',
    ],
    [
      'a body over the limit',
      fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413),
      413,
      'JOBBENCH_ERR_BODY_TOO_LARGE',
      undefined,
    ],
    ['malformed JSON', fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400), 400, 'JOBBENCH_ERR_BAD_JSON', undefined],
    ['an empty JSON body', fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400), 400, 'JOBBENCH_ERR_BAD_JSON', undefined],
    [
      'an unsupported media type',
      fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415),
      415,
      'JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE',
      undefined,
    ],
    [
      'a bad URL does not echo it',
      fastifyError('FST_ERR_BAD_URL', 400, "'/jobs/%E0' is not a valid url component"),
      400,
      'JOBBENCH_ERR_VALIDATION',
      'The URL path is not valid percent-encoding',
    ],
    [
      'a too long path parameter',
      fastifyError('FST_ERR_MAX_PARAM_LENGTH', 414),
      400,
      'JOBBENCH_ERR_VALIDATION',
      'A path parameter is too long',
    ],
    [
      'another client error of Fastify',
      fastifyError('FST_ERR_SOMETHING_NEW', 400),
      400,
      'JOBBENCH_ERR_VALIDATION',
      'The request is invalid',
    ],
    [
      'an unknown 413 from a stream',
      Object.assign(new Error('request entity too large'), { statusCode: 413 }),
      413,
      'JOBBENCH_ERR_BODY_TOO_LARGE',
      undefined,
    ],
    [
      'a plain Error is a 500 that says nothing of it',
      new Error('secret detail'),
      500,
      'JOBBENCH_ERR_INTERNAL',
      'Unexpected error',
    ],
    ['a thrown string', 'boom', 500, 'JOBBENCH_ERR_INTERNAL', 'Unexpected error'],
    ['undefined', undefined, 500, 'JOBBENCH_ERR_INTERNAL', 'Unexpected error'],
    [
      'a 5xx from a library',
      Object.assign(new Error('upstream'), { statusCode: 502 }),
      500,
      'JOBBENCH_ERR_INTERNAL',
      'Unexpected error',
    ],
  ])('%s', (_name, err, status, code, message) => {
    const reply = toErrorReply(err);
    expect(reply).toMatchObject({ status, code });
    if (message !== undefined) expect(reply.message).toBe(message);
  });
});

describe('isDateTime (postedAt)', () => {
  it.each([
    ['2025-02-28T00:00:00Z', true],
    ['2024-02-29T12:30:00.123456+02:00', true],
    ['2025-01-01 10:00:00z', true],
    ['9999-12-31T23:59:59.999Z', true],
    ['2025-02-29T00:00:00Z', false],
    ['2025-04-31T00:00:00Z', false],
    ['2025-01-01T24:00:00Z', false],
    ['2025-01-01T10:60:00Z', false],
    ['2025-01-01T10:00:60Z', false],
    ['2025-01-01T10:00:00+24:00', false],
    ['2025-01-01T10:00:00', false],
    ['1969-12-31T23:59:59Z', false],
    ['9999-12-31T23:00:00-05:00', false],
    ['yesterday', false],
  ])('%s → %s', (value, expected) => {
    expect(isDateTime(value)).toBe(expected);
  });
});
