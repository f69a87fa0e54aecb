/**
 * The API's error catalogue: every error the job API answers with has a stable code and HTTP status here.
 * docs/readme/api.md "Errors" lists the same codes; test/errors.test.ts keeps the two in sync.
 * The CLI's and the harness' errors have their own catalogue with exit codes: shared/harness-errors.ts.
 */
export const ERRORS = {
  JOBBENCH_ERR_VALIDATION: { status: 400, message: 'The request is invalid' },
  JOBBENCH_ERR_BAD_CURSOR: { status: 400, message: 'The cursor is not one this API issued' },
  JOBBENCH_ERR_BAD_JSON: { status: 400, message: 'The request body is not valid JSON' },
  JOBBENCH_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit' },
  JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json' },
  JOBBENCH_ERR_NOT_FOUND: { status: 404, message: 'No job has this id' },
  JOBBENCH_ERR_ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  JOBBENCH_ERR_DB_UNAVAILABLE: {
    status: 503,
    message: 'The database is unavailable or the pool is exhausted; retry later',
  },
  JOBBENCH_ERR_DB_TIMEOUT: { status: 503, message: 'The query ran past the statement timeout' },
  JOBBENCH_ERR_OVERLOADED: { status: 503, message: 'The server is overloaded (load shedding); retry later' },
  JOBBENCH_ERR_INTERNAL: { status: 500, message: 'Unexpected error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The one error class: callers tell errors apart by `code`. */
export class JobbenchError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string = ERRORS[code].message, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobbenchError';
    this.code = code;
    this.status = ERRORS[code].status;
  }
}

export function isJobbenchError(err: unknown): err is JobbenchError {
  return err instanceof JobbenchError;
}
