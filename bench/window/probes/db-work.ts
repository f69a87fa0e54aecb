import type { DbStatementWork, DbWork, DbWorkFigures } from '../../results/db-work.ts';
import type { Probe, ProbeContext, ProbeReport, WindowEnd } from '../probe.ts';
import type { SamplerDb } from '../sampler-db.ts';
import { parseQueryCounts, type QueryCounters } from '../metrics-text.ts';
import { statementsAvailable } from './queries.ts';

const countsOf = (text: string | null) => (text === null ? null : parseQueryCounts(text));

/**
 * The database work of a window, counted rather than timed (DESIGN rule 11): pg_stat_statements'
 * counters of every statement in the target's database, read at the window's start and end, and the
 * difference per statement. Never a reset: the other side of a gate and other clients share the server,
 * and a reset would erase their counts. Per completed request: calls, rows, shared blocks hit + read
 * (pages touched, whether cached or not: the work of a plan, not the luck of the cache), temp blocks.
 * Statements are keyed by their normalized text, not queryid: a queryid hashes relation OIDs, which differ
 * between the two databases of a gate. The harness's own reads (pg_stat_*, the extension check) are left out.
 */

const SNAPSHOT = `SELECT regexp_replace(s.query, '\\s+', ' ', 'g') AS query,
    sum(s.calls)::float8 AS calls, sum(s.rows)::float8 AS rows,
    sum(s.shared_blks_hit + s.shared_blks_read)::float8 AS shared,
    sum(s.temp_blks_read + s.temp_blks_written)::float8 AS temp
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
  WHERE d.datname = current_database()
    AND s.query !~* '(pg_stat_|shared_preload_libraries|CREATE EXTENSION)'
  GROUP BY 1`;

interface Counters {
  calls: number;
  rows: number;
  shared: number;
  temp: number;
}
type Snapshot = Map<string, Counters>;

async function snapshot(db: SamplerDb): Promise<Snapshot | null> {
  try {
    const rows = await db.query<Counters & { query: string }>(SNAPSHOT);
    return new Map(rows.map((r) => [r.query, r]));
  } catch {
    return null; // the database went away (the loss is recorded with the window)
  }
}

const QUERY_CHARS = 300; // enough to tell statements apart in a report; the key is the full text
const per = (n: number, requests: number) => (requests > 0 ? Math.round((n / requests) * 10_000) / 10_000 : 0);

/** The work between two snapshots, per request; statements without a call in between are left out. Pure. */
export function dbWorkBetween(before: Snapshot, after: Snapshot, requests: number): DbWork {
  const statements: DbStatementWork[] = [];
  const total: DbWorkFigures = { calls: 0, rows: 0, sharedBlocks: 0, tempBlocks: 0 };
  for (const [query, end] of after) {
    const start = before.get(query) ?? { calls: 0, rows: 0, shared: 0, temp: 0 };
    const d = {
      calls: end.calls - start.calls,
      rows: end.rows - start.rows,
      shared: end.shared - start.shared,
      temp: end.temp - start.temp,
    };
    if (d.calls <= 0) continue;
    total.calls += d.calls;
    total.rows += d.rows;
    total.sharedBlocks += d.shared;
    total.tempBlocks += d.temp;
    statements.push({
      query: query.slice(0, QUERY_CHARS),
      calls: per(d.calls, requests),
      rows: per(d.rows, requests),
      sharedBlocks: per(d.shared, requests),
      tempBlocks: per(d.temp, requests),
    });
  }
  statements.sort((a, b) => b.sharedBlocks - a.sharedBlocks || b.calls - a.calls || a.query.localeCompare(b.query));
  return {
    requests,
    total: {
      calls: per(total.calls, requests),
      rows: per(total.rows, requests),
      sharedBlocks: per(total.sharedBlocks, requests),
      tempBlocks: per(total.tempBlocks, requests),
    },
    statements,
  };
}

/** Database work per request over the measured window; `dbWork: null` where pg_stat_statements is not loaded. */
export function dbWorkProbe(): Probe {
  let ctx: ProbeContext | undefined;
  let before: Snapshot | null = null;
  let server0: QueryCounters | null = null;
  return {
    name: 'db-work',
    async start(context) {
      ctx = context;
      // The server's /metrics once no request is in flight (shared with the queries probe): its count of
      // answered requests is the exact divisor, and nothing is half-counted at the snapshot.
      server0 = countsOf(await ctx.server.metrics('start'));
      before = (await statementsAvailable(ctx.db)) ? await snapshot(ctx.db) : null;
    },
    async stop(end: WindowEnd): Promise<ProbeReport> {
      if (!end.measurement) return {};
      if (before === null) return { round: { dbWork: null } };
      const server1 = countsOf(await ctx!.server.metrics('end'));
      const after = await snapshot(ctx!.db);
      // Requests the server answered (exact), else those the load tool counted (a target without /metrics).
      const requests = server0 && server1 ? server1.requests - server0.requests : end.measurement.requests;
      return { round: { dbWork: after === null ? null : dbWorkBetween(before, after, requests) } };
    },
  };
}
