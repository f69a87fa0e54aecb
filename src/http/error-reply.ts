import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { ERRORS, isJobbenchError, type ErrorCode } from '../errors.ts';

/** Seconds a client should wait before retrying a 503 (pool exhausted, database down). */
export const RETRY_AFTER_S = 1;

// Fastify's own errors, by code, in the catalogue's terms. Anything else Fastify rejects with a
// 4xx status (an aborted upload, a malformed header) is a VALIDATION error.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_VALIDATION: 'JOBBENCH_ERR_VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'JOBBENCH_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'JOBBENCH_ERR_BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'JOBBENCH_ERR_BAD_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'JOBBENCH_ERR_VALIDATION',
  FST_ERR_BAD_URL: 'JOBBENCH_ERR_VALIDATION',
  FST_ERR_MAX_PARAM_LENGTH: 'JOBBENCH_ERR_VALIDATION',
};
// Fastify's messages for these quote the whole URL back; ours say what is wrong in a bounded line.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL path is not valid percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

export interface ErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
}

/** Any thrown value to the one error body of the API. Pure: the tests table-check it. */
export function toErrorReply(err: unknown): ErrorReply {
  if (isJobbenchError(err)) return { status: err.status, code: err.code, message: err.message };
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown };
  const fastifyCode = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  const code: ErrorCode | undefined =
    e.validation !== undefined
      ? 'JOBBENCH_ERR_VALIDATION'
      : (fastifyCode ??
        (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500
          ? statusCode4xx(e.statusCode)
          : undefined));
  if (code === undefined)
    return { status: 500, code: 'JOBBENCH_ERR_INTERNAL', message: ERRORS.JOBBENCH_ERR_INTERNAL.message };
  // Schema messages say what is wrong ("querystring/limit must be <= 100"); others keep the catalogue's.
  const fixed = typeof e.code === 'string' ? FASTIFY_MESSAGES[e.code] : undefined;
  const message =
    fixed ?? (e.validation !== undefined && typeof e.message === 'string' ? e.message : ERRORS[code].message);
  return { status: ERRORS[code].status, code, message };
}

function statusCode4xx(status: number): ErrorCode {
  if (status === 413) return 'JOBBENCH_ERR_BODY_TOO_LARGE';
  if (status === 415) return 'JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE';
  return 'JOBBENCH_ERR_VALIDATION';
}

/** Sends the error body; 503s carry Retry-After; only 500s are logged (they are bugs). */
export function sendError(reply: FastifyReply, err: unknown, log?: FastifyBaseLogger): FastifyReply {
  const { status, code, message } = toErrorReply(err);
  if (status === 500) log?.error({ err, reqId: reply.request.id }, 'unexpected error');
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_S));
  return reply.code(status).type('application/json; charset=utf-8').send({ code, message });
}
