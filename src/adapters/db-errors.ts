import { JobbenchError } from '../errors.ts';

// SQLSTATE classes and codes that mean "the database cannot serve this now" (503), as opposed to a bug.
const UNAVAILABLE_SQLSTATES = new Set(['53300', '53400', '57P01', '57P02', '57P03', '55P03']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * Maps any driver's error to the catalogue: connection and pool problems become DB_UNAVAILABLE (503),
 * statement timeouts DB_TIMEOUT (503), invalid values VALIDATION (400); anything else is rethrown as is
 * (the app turns it into a 500, which tests treat as a bug).
 */
export function mapDbError(err: unknown): unknown {
  if (err instanceof JobbenchError) return err;
  const e = err as { code?: string; message?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === '57014') return new JobbenchError('JOBBENCH_ERR_DB_TIMEOUT', undefined, { cause: err });
  if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code)) {
    return new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE', undefined, { cause: err });
  }
  // pg-pool's acquire timeout and pg's lost connections carry no code, only a message; so do a pg Pool
  // and a Kysely driver used after close() (a request that arrives during shutdown gets a 503, not a 500).
  if (
    /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting|shutting) up|Cannot use a pool after calling end on the pool|driver has already been destroyed/i.test(
      message,
    )
  ) {
    return new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE', undefined, { cause: err });
  }
  // 22021: a NUL byte in a string (valid JSON, never valid PostgreSQL text).
  if (
    code === '22P02' ||
    code === '22003' ||
    code === '23514' ||
    code === '22007' ||
    code === '22008' ||
    code === '22021'
  ) {
    return new JobbenchError('JOBBENCH_ERR_VALIDATION', primaryMessage(message), { cause: err });
  }
  return err;
}

/**
 * The server's primary message alone. pg and postgres.js give just that; libpq (pg-native) gives its whole
 * report, "ERROR:  <primary>\nCONTEXT:  ...", which would make one adapter's 400 bodies differ.
 */
function primaryMessage(message: string): string {
  return message.split('\n')[0]!.replace(/^(ERROR|FATAL|PANIC):\s+/, '');
}

/** Awaits `work`, rethrowing any error mapped to the catalogue. */
export async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw mapDbError(err);
  }
}
