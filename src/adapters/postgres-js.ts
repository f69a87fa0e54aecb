import postgres from 'postgres';
import type { DbConfig, JobRepository } from '../domain/job-repository.ts';
import { JobbenchError } from '../errors.ts';
import { mapped } from './db-errors.ts';
import { GET_JOB, INSERT_JOB, PING, STATS, insertParams, searchStatement, toJob, toPage, toStats } from './sql.ts';

type Row = Record<string, unknown>;

/** What postgres.js keeps on a query object (src/query.js) but does not type: where the query stands. */
interface QueryProgress {
  readonly state: unknown; // set once the query is written to a connection (running or pipelined)
  readonly active: boolean; // true while the server executes it
}

/**
 * postgres.js (the `postgres` package). Statements are the shared SQL text sent with `sql.unsafe(text,
 * values, { prepare })`: with prepare true (the default, and what tagged templates do) each connection
 * prepares a named statement on first use, then sends only Bind/Execute.
 */
export function createPostgresJsRepository(config: DbConfig) {
  const prepare = config.prepare ?? true;
  const sql = postgres(config.url, {
    max: config.poolMax,
    idle_timeout: config.idleTimeoutMs / 1000, // seconds
    connect_timeout: config.connectTimeoutMs / 1000, // seconds
    // After a failed connection postgres.js waits before the next attempt, and queries wait with it: its
    // default backoff grows to 20 s (postgres/src/index.js backoff), so during an outage a request hung
    // for up to 20 s before its 503. Capped at half the acquire timeout, a request gets its answer within
    // about 1.5 × connectTimeoutMs, as with pg Pool, which tries again at the next request.
    backoff: (retries: number) =>
      Math.min((0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 20), config.connectTimeoutMs / 2000), // seconds
    max_lifetime: null, // pg Pool keeps a connection until it idles out; do the same so only the driver differs
    prepare,
    // Behind PgBouncer 1.18 in transaction mode, a parameterised query pipelined with a parameterless one
    // on one connection wedges it (both wait forever; seen with the mixed scenario): no pipelining there.
    ...(config.pipeline === false ? { max_pipeline: 0 } : {}),
    onnotice: () => {}, // the default logs every NOTICE to stdout
    connection: { application_name: config.applicationName, statement_timeout: config.statementTimeoutMs },
    types: { timestamptz: TIMESTAMPTZ },
  });

  // postgres.js has no acquire timeout: a query issued while every connection is busy is pipelined onto a
  // busy connection (up to max_pipeline) or queued, and waits as long as it takes. So we count queries
  // issued and not yet settled; one issued while `poolMax` are in flight gets a timer of connectTimeoutMs.
  // When it fires and the query is still not running (`active`), the caller gets DB_UNAVAILABLE:
  // - still in postgres.js's queue (no `state`): `cancel()` removes it and it is never sent;
  // - already pipelined behind a running query on a busy connection: it stays there, runs when that query
  //   finishes, and its result is dropped. We do not `cancel()` it: postgres.js would send a cancel
  //   request when it starts, and PostgreSQL cancels whatever the backend runs when the request lands,
  //   which can be the next pipelined query of another caller.
  // A query that has started running is left to statement_timeout, as with pg Pool's acquire timeout.
  // A timed-out query stays counted until it settles, since it still holds its place on a connection.
  let inFlight = 0;

  function run(text: string, values: unknown[] = []): Promise<Row[]> {
    const saturated = inFlight >= config.poolMax;
    inFlight += 1;
    const query = sql.unsafe<Row[]>(text, values as postgres.ParameterOrJSON<never>[], { prepare });
    const done = query.finally(() => {
      inFlight -= 1;
    });
    if (!saturated) return mapped(done);
    return mapped(
      new Promise<Row[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          const progress = query as unknown as QueryProgress;
          if (progress.active) return;
          if (!progress.state) query.cancel();
          done.catch(() => {}); // its outcome no longer has a caller
          reject(new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE'));
        }, config.connectTimeoutMs);
        done.then(resolve, reject).finally(() => clearTimeout(timer));
      }),
    );
  }

  return {
    async create(input) {
      const rows = await run(INSERT_JOB, insertParams(input));
      return toJob(rows[0]!);
    },
    async getById(id) {
      const rows = await run(GET_JOB, [id]);
      return rows[0] ? toJob(rows[0]) : null;
    },
    async search(filters, page) {
      const { text, values } = searchStatement(filters, page);
      return toPage(await run(text, values), page.limit);
    },
    async stats() {
      const rows = await run(STATS);
      return toStats(rows[0]!);
    },
    async ping() {
      await run(PING);
    },
    poolStats() {
      return null; // postgres.js exposes no pool gauges; metrics count its backends in pg_stat_activity
    },
    async close() {
      // Past the statement timeout nothing legitimate is still running: then connections are destroyed.
      await sql.end({ timeout: config.statementTimeoutMs / 1000 });
    },
  } satisfies JobRepository;
}

/**
 * timestamptz in both directions, so that values match pg's exactly. Serialize: postgres.js's default
 * runs strings through `new Date()`, which throws on text PostgreSQL would reject with 22007 and reads
 * non-ISO text differently; pass strings through and let the server parse them, as pg does. Parse: the
 * default `new Date(text)` reads year 0099 as 1999; this is pg's parser (postgres-date 1.0.7, MIT) for
 * the ISO DateStyle output, so both drivers give the same instant for the same text.
 */
const TIMESTAMPTZ = {
  to: 1184,
  from: [1184],
  serialize: (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value)),
  parse: parseTimestamptz,
};

const DATE_TIME = /(\d{1,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,})?.*?( BC)?$/;
const TIME_ZONE = /([Z+-])(\d{2})?:?(\d{2})?:?(\d{2})?/;

function parseTimestamptz(text: string): Date {
  const m = DATE_TIME.exec(text);
  if (!m) return new Date(Number(text.replace('i', 'I'))); // ±infinity: an invalid Date, as pg's Infinity gives
  const bc = m[8] !== undefined;
  const year = bc ? -(Number(m[1]) - 1) : Number(m[1]);
  const ms = m[7] ? 1000 * parseFloat(m[7]) : 0;
  const date = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
  if (year >= 0 && year < 100) date.setUTCFullYear(year); // Date.UTC maps 0..99 to 1900..1999
  const tz = TIME_ZONE.exec(text.split(' ')[1]!);
  if (tz && tz[1] !== 'Z') {
    const sign = tz[1] === '-' ? -1 : 1;
    const offsetMs = sign * (Number(tz[2] ?? 0) * 3600 + Number(tz[3] ?? 0) * 60 + Number(tz[4] ?? 0)) * 1000;
    date.setTime(date.getTime() - offsetMs);
  }
  return date;
}
