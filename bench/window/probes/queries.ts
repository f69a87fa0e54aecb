import { parseQueryCounts, type QueryCounters } from '../metrics-text.ts';
import type { Probe, ProbeContext, ProbeReport, WindowEnd } from '../probe.ts';
import type { SamplerDb } from '../sampler-db.ts';

/**
 * Queries per request over one measured window, exact rather than statistical (issue 11): an added
 * N+1 query shows whatever the noise. Two counts:
 * - the server's own: every repository call it timed into jobbench_db_query_duration_seconds (all
 *   operations: no readiness ping happens inside a window, and injected queries are pings), divided by
 *   the requests it answered (http_requests_total, which leaves /metrics out), both read from /metrics
 *   at the window's start and end once no request is in flight, so the edges do not blur the count
 *   (bench/window/server-requests.ts: the same reads serve the sweep's DB time);
 * - PostgreSQL's: Σ calls in pg_stat_statements for the target's database, where the extension is
 *   loaded (shared_preload_libraries), the harness's own statements (pg_stat_* reads) left out; read on
 *   the window's one connection (bench/window/sampler-db.ts).
 */

export const PG_STAT_STATEMENTS_HOWTO =
  'n/a: pg_stat_statements not loaded (start PostgreSQL with shared_preload_libraries = pg_stat_statements, as the embedded and Docker databases do)';

const STATEMENT_CALLS = `SELECT coalesce(sum(s.calls), 0)::float8 AS calls
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
  WHERE d.datname = current_database() AND s.query !~* 'pg_stat_(activity|statements)'`;
const LOADED = `SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded`;

/** pg_stat_statements' calls so far in the current database, or null when it cannot be read. */
async function statementCalls(db: SamplerDb): Promise<number | null> {
  try {
    return (await db.query<{ calls: number }>(STATEMENT_CALLS))[0]!.calls;
  } catch {
    return null; // the database went away (the loss is recorded with the window)
  }
}

/** Whether the extension is loaded (shared_preload_libraries), created in the target's database if so. */
export async function statementsAvailable(db: SamplerDb): Promise<boolean> {
  try {
    if (!(await db.query<{ loaded: boolean }>(LOADED))[0]!.loaded) return false;
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return true;
  } catch {
    return false; // e.g. not allowed to create the extension: the same as not loaded
  }
}

export interface QueryCounts {
  queriesPerRequest: number | null; // null: the server's metrics are off
  pgStatementsPerRequest: number | null; // null: pg_stat_statements not loaded
}

const countsOf = (text: string | null) => (text === null ? null : parseQueryCounts(text));

/** Counts from the window's start to its end; the Round gets them per request. */
export function queriesProbe(): Probe {
  let ctx: ProbeContext | undefined;
  let server0: QueryCounters | null = null;
  let statements0: number | null = null;
  return {
    name: 'queries',
    async start(context) {
      ctx = context;
      // pg_stat_statements after the settled scrape: once no request is in flight, no statement is either
      server0 = countsOf(await ctx.server.metrics('start'));
      statements0 = (await statementsAvailable(ctx.db)) ? await statementCalls(ctx.db) : null;
    },
    async stop(end: WindowEnd): Promise<ProbeReport> {
      if (!end.measurement) return {};
      const server1 = countsOf(await ctx!.server.metrics('end'));
      const statements1 = statements0 === null ? null : await statementCalls(ctx!.db);
      const served = server0 && server1 ? server1.requests - server0.requests : end.measurement.requests;
      const per = (n: number) => (served > 0 ? Math.round((n / served) * 10_000) / 10_000 : 0);
      const counts: QueryCounts = {
        queriesPerRequest: server0 && server1 ? per(server1.dbCalls - server0.dbCalls) : null,
        pgStatementsPerRequest: statements0 !== null && statements1 !== null ? per(statements1 - statements0) : null,
      };
      return { round: counts };
    },
  };
}
