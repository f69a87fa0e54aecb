import pg from 'pg';
import { METRIC } from '../src/metrics/names.ts';

/**
 * Queries per request over one measured window, exact rather than statistical (issue 11): an added
 * N+1 query shows whatever the noise. Two counts:
 * - the server's own: every repository call it timed into jobbench_db_query_duration_seconds (all
 *   operations: no readiness ping happens inside a window, and injected queries are pings), divided by
 *   the requests it answered (http_requests_total, which leaves /metrics out), both read from /metrics
 *   at the window's start and end once no request is in flight, so the edges do not blur the count;
 * - PostgreSQL's: Σ calls in pg_stat_statements for the target's database, where the extension is
 *   loaded (shared_preload_libraries), the harness's own statements (pg_stat_* reads) left out.
 */

export const PG_STAT_STATEMENTS_HOWTO =
  'n/a: pg_stat_statements not loaded (start PostgreSQL with shared_preload_libraries = pg_stat_statements, as the embedded and Docker databases do)';

const SETTLE_MS = 1_000; // longest wait for requests in flight to finish before a scrape

interface Counts {
  dbCalls: number;
  requests: number;
  inFlight: number;
}

/** Sums the counters the window needs from a Prometheus text exposition (pure; exported for tests). */
export function parseQueryCounts(text: string): Counts {
  let dbCalls = 0;
  let requests = 0;
  let inFlight = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const name = line.split(/[{ ]/, 1)[0];
    if (name === `${METRIC.dbQueryDuration}_count`) dbCalls += value;
    else if (name === METRIC.httpRequests) requests += value;
    else if (name === METRIC.httpRequestsInFlight) inFlight += value;
  }
  return { dbCalls, requests, inFlight };
}

async function scrape(baseUrl: string): Promise<Counts | null> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    let counts: Counts;
    try {
      const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) return null; // metrics off: 404
      counts = parseQueryCounts(await res.text());
    } catch {
      return null;
    }
    if (counts.inFlight <= 0 || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const STATEMENT_CALLS = `SELECT coalesce(sum(s.calls), 0)::float8 AS calls
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
  WHERE d.datname = current_database() AND s.query !~* 'pg_stat_(activity|statements)'`;

/** pg_stat_statements' calls so far in the current database, or null when the extension is not loaded. */
async function statementCalls(databaseUrl: string): Promise<number | null> {
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'jobbench:query-counter' });
  db.on('error', () => {}); // a database restart (--fault) must not kill the harness: the count is then n/a
  try {
    await db.connect();
    const { rows } = await db.query<{ loaded: boolean }>(
      "SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded",
    );
    if (!rows[0]!.loaded) return null;
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return (await db.query<{ calls: number }>(STATEMENT_CALLS)).rows[0]!.calls;
  } catch {
    return null; // e.g. not allowed to create the extension: the same as not loaded
  } finally {
    await db.end().catch(() => {});
  }
}

export interface QueryCounts {
  queriesPerRequest: number | null; // null: the server's metrics are off
  pgStatementsPerRequest: number | null; // null: pg_stat_statements not loaded
}

/** Starts counting at the window's start; `stop()` at its end gives the per-request counts. */
export async function startQueryCounter(opts: { baseUrl: string; databaseUrl: string }) {
  const [server0, statements0] = await Promise.all([scrape(opts.baseUrl), statementCalls(opts.databaseUrl)]);
  return {
    async stop(fallbackRequests: number): Promise<QueryCounts> {
      const [server1, statements1] = await Promise.all([scrape(opts.baseUrl), statementCalls(opts.databaseUrl)]);
      const served = server0 && server1 ? server1.requests - server0.requests : fallbackRequests;
      const per = (n: number) => (served > 0 ? Math.round((n / served) * 10_000) / 10_000 : 0);
      return {
        queriesPerRequest: server0 && server1 ? per(server1.dbCalls - server0.dbCalls) : null,
        pgStatementsPerRequest: statements0 !== null && statements1 !== null ? per(statements1 - statements0) : null,
      };
    },
  };
}
