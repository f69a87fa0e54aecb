import type { PoolWindow } from '../../pgbouncer/admin.ts';
import type { Via } from '../../results/types.ts';
import { METRIC } from '../../../src/metrics/names.ts';
import type { Probe, ProbeContext, ProbeReport } from '../probe.ts';
import type { PgbouncerPoolsProbe } from './pgbouncer-pools.ts';

/**
 * DB time per request for Little's law (the sweep), per measured window: the server's /metrics at the
 * window's start and end. jobbench_db_query_duration_seconds times every repository call, including the wait for a
 * pool connection (src/metrics/instrument-repository.ts), so Δsum / Δcount is the mean time a request
 * spends in the database layer. Behind PgBouncer the window's PgBouncer pools come with it.
 */

export interface ProbedWindow {
  adapter: string;
  poolMax: number;
  via: Via;
  scenario: string;
  connections: number;
  rate?: number;
  dbCalls: number; // repository calls during the window (ping excluded)
  dbTimeUsPerCall: number | null; // null: no call, or metrics off
  pgbouncer?: PoolWindow;
}

interface Scrape {
  adapter: string | null;
  poolMax: number | null;
  sumS: number;
  count: number;
}

const LABELS = /\{([^}]*)\}/;

function labels(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inner = LABELS.exec(line)?.[1] ?? '';
  for (const m of inner.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** The numbers the probe needs from a Prometheus text exposition (pure; exported for tests). */
export function parseScrape(text: string): Scrape {
  let adapter: string | null = null;
  let poolMax: number | null = null;
  let sumS = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${METRIC.info}{`)) {
      const l = labels(line);
      adapter = l.adapter ?? null;
      poolMax = l.pool_max === undefined ? null : Number(l.pool_max);
    } else if (
      line.startsWith(`${METRIC.dbQueryDuration}_sum{`) ||
      line.startsWith(`${METRIC.dbQueryDuration}_count{`)
    ) {
      if (labels(line).operation === 'ping') continue; // readiness checks, not requests
      if (line.startsWith(`${METRIC.dbQueryDuration}_sum{`)) sumS += value;
      else count += value;
    }
  }
  return { adapter, poolMax, sumS, count };
}

/**
 * The sweep's probe, handed to the window for the measured load only: reads the server's /metrics at
 * the window's start and end (the reads the query counter makes, shared) and hands `record` the window's
 * DB time per call, with PgBouncer's pools when `pools` sampled them (started after this probe, so
 * stopped before it).
 */
export function dbTimeProbe(record: (window: ProbedWindow) => void, pools?: PgbouncerPoolsProbe): Probe {
  let ctx: ProbeContext | undefined;
  let before: Scrape | null = null;
  return {
    name: 'db-time',
    async start(context) {
      ctx = context;
      before = scrapeOf(await ctx.server.metrics('start'));
    },
    async stop(): Promise<ProbeReport> {
      const after = scrapeOf(await ctx!.server.metrics('end'));
      const pgbouncer = pools?.reading();
      if (!before || !after) return {};
      const { spec, load } = ctx!;
      const dbCalls = after.count - before.count;
      record({
        adapter: spec.adapter,
        poolMax: spec.poolMax,
        via: spec.via,
        scenario: load.scenario,
        connections: load.connections,
        ...(load.rate === undefined ? {} : { rate: load.rate }),
        dbCalls,
        dbTimeUsPerCall: dbCalls > 0 ? Math.round(((after.sumS - before.sumS) / dbCalls) * 1e6 * 10) / 10 : null,
        ...(pgbouncer ? { pgbouncer } : {}),
      });
      return {};
    },
  };
}

const scrapeOf = (text: string | null) => (text === null ? null : parseScrape(text));
