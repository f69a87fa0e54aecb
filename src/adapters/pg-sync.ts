import { createRequire } from 'node:module';
import type { DbConfig, JobRepository } from '../domain/job-repository.ts';
import { JobbenchError } from '../errors.ts';
import { mapDbError } from './db-errors.ts';
import { GET_JOB, INSERT_JOB, PING, STATS, insertParams, searchStatement, toJob, toPage, toStats } from './sql.ts';

type Row = Record<string, unknown>;

/** The part of pg-native (untyped, optional) this adapter uses. */
interface NativeClient {
  connectSync(connectionString: string): void;
  querySync(text: string, values?: (string | null)[]): Row[];
  end(): void;
  pq: {
    resultErrorFields(): { sqlState?: string } | null;
    transactionStatus(): number; // libpq PQTRANS_*: 4 (UNKNOWN) means the connection is bad
  };
}

// Loaded with require at import time: when pg-native or its libpq binding is missing, importing this
// file throws, and the registry reports pg-sync as unavailable instead of breaking the other adapters.
const NativeClient = createRequire(import.meta.url)('pg-native') as new () => NativeClient;

const PQTRANS_UNKNOWN = 4;
const LIBPQ_MIN_CONNECT_TIMEOUT_S = 2; // libpq reads connect_timeout=1 as 2 seconds

/**
 * The blocking baseline: pg-native's synchronous API (connectSync, querySync). Every call holds the
 * event loop for the whole round trip, the way the ADR's psycopg2 did inside an async framework: while
 * one request waits for PostgreSQL, no other request is parsed, routed or answered.
 *
 * One connection, not a pool: with every call blocking, at most one query is ever in flight, so a
 * second connection would never be used. The queue of waiting requests is the event loop and the
 * kernel's accept backlog, which no pool gauge can see; poolStats() therefore returns null (its one
 * backend is visible in pg_stat_activity under application_name). The connection opens on first use
 * and reopens on the call after it breaks; idleTimeoutMs does not apply (it is never idle long enough
 * to matter and there is nothing to release it to).
 */
export function createPgSyncRepository(config: DbConfig) {
  let client: NativeClient | null = null;
  let closed = false;

  function connection(): NativeClient {
    if (closed) throw new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE');
    if (client) return client;
    const fresh = new NativeClient();
    try {
      fresh.connectSync(libpqConnectionString(config));
    } catch (err) {
      throw mapDbError(withCode(err, '08001')); // sqlclient_unable_to_establish_sqlconnection
    }
    client = fresh;
    return fresh;
  }

  /**
   * A blocking connection cannot notice that the server went away while it sat idle (a restart): it
   * learns on the next query, which then fails although the database is back. So a read that finds its
   * connection broken is sent once more on a fresh one. Writes are not: the INSERT may have committed.
   */
  function run(text: string, values: readonly unknown[] = [], retry = text !== INSERT_JOB): Row[] {
    const reused = client !== null;
    try {
      return runOnce(text, values);
    } catch (err) {
      if (retry && reused && client === null && !closed) return runOnce(text, values);
      throw err;
    }
  }

  function runOnce(text: string, values: readonly unknown[]): Row[] {
    const c = connection();
    try {
      return c.querySync(text, values.map(toPgText));
    } catch (err) {
      const sqlState = c.pq.resultErrorFields()?.sqlState;
      // The connection is gone (server restart, terminated backend): reopen on the next call. Checked
      // before the SQLSTATE, which a fast shutdown also sends (57P01) on a connection it then closes:
      // keeping that connection would fail the next call too, once the database is back.
      const broken = c.pq.transactionStatus() === PQTRANS_UNKNOWN;
      if (broken) {
        client = null;
        safeEnd(c);
      }
      if (sqlState) throw mapDbError(withCode(err, sqlState));
      throw mapDbError(broken ? withCode(err, '08006') : err); // 08006: connection_failure
    }
  }

  return {
    async create(input) {
      return toJob(run(INSERT_JOB, insertParams(input))[0]!);
    },
    async getById(id) {
      const rows = run(GET_JOB, [id]);
      return rows[0] ? toJob(rows[0]) : null;
    },
    async search(filters, page) {
      const { text, values } = searchStatement(filters, page);
      return toPage(run(text, values), page.limit);
    },
    async stats() {
      return toStats(run(STATS)[0]!);
    },
    async ping() {
      run(PING);
    },
    poolStats() {
      return null; // see above: the waiting requests are in the event loop, not in a pool
    },
    async close() {
      closed = true;
      if (client) safeEnd(client);
      client = null;
    },
  } satisfies JobRepository;
}

/**
 * The DbConfig as libpq URI parameters: application_name and connect_timeout (whole seconds), and
 * statement_timeout as a startup option, as pg sends it. Exported for tests.
 */
export function libpqConnectionString(config: DbConfig): string {
  const url = new URL(config.url);
  const params = new Map<string, string>();
  for (const [k, v] of url.searchParams) params.set(k, v);
  params.set('application_name', config.applicationName);
  params.set(
    'connect_timeout',
    String(Math.max(LIBPQ_MIN_CONNECT_TIMEOUT_S, Math.ceil(config.connectTimeoutMs / 1000))),
  );
  const options = [params.get('options'), `-c statement_timeout=${config.statementTimeoutMs}`]
    .filter(Boolean)
    .join(' ');
  params.set('options', options);
  // libpq decodes %XX but not '+', so URLSearchParams' form encoding would garble spaces.
  url.search = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return url.toString();
}

/**
 * A parameter as the text libpq sends. pg-native hands every non-null value to String(), which turns
 * ['a','b'] into "a,b" and a Date into its local-time string; convert them the way pg does
 * (pg/lib/utils.js prepareValue): arrays as PostgreSQL array literals, Dates in ISO 8601 UTC,
 * booleans as true/false, undefined as NULL. Exported for tests.
 */
export function toPgText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // libpq copies parameters as C strings: a NUL would silently truncate the value where pg sends it
    // whole and PostgreSQL rejects it. Fail the same way PostgreSQL does.
    if (value.includes('\u0000')) throw withCode(new Error('invalid byte sequence for encoding "UTF8": 0x00'), '22021');
    return value;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value); // objects: json/jsonb parameters, as pg does
}

function arrayLiteral(items: readonly unknown[]): string {
  const parts = items.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    const text = toPgText(item)!;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}

function withCode(err: unknown, code: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  (e as Error & { code?: string }).code = code;
  return e;
}

function safeEnd(c: NativeClient): void {
  try {
    c.end();
  } catch {
    // already finished
  }
}
