import type { Cell } from '../../results/types.ts';
import type { AdrDesign } from './design.ts';

/**
 * The stacks ADR-003 can be checked on, one row each: the sync baseline every gain is measured against,
 * how that baseline works, and what a reader must keep in mind about the stack. Consumers enumerate it.
 */
export const ADR_STACKS = {
  node: {
    baseline: 'pg-sync',
    title: 'Node (Fastify; the ADR mechanism, in Node)',
    baselineHow:
      "pg-native's blocking `querySync`: every query holds the event loop for its whole round trip, as psycopg2 did when called from async code",
    limit:
      "This stack is Node (Fastify, pg-native, pg, postgres.js, Kysely), not the ADR's Python: what it tests is the mechanism the ADR relied on (a blocking driver inside an event-loop server vs a non-blocking one).",
  },
  fastapi: {
    baseline: 'fastapi-psycopg2',
    title: "FastAPI (the ADR's own stack: FastAPI + SQLAlchemy, psycopg2 / asyncpg / psycopg 3, uvicorn)",
    baselineHow:
      'sync `def` endpoints run in Starlette\'s thread pool (anyio, 40 threads) over a SQLAlchemy connection pool (pool_size = --pool-max, no overflow): the ADR\'s "before"; fastapi-asyncpg (SQLAlchemy asyncio engine) is its "after", fastapi-psycopg3 (psycopg_pool, async) its alternative 2',
    limit:
      "This stack is the ADR's own (FastAPI, SQLAlchemy, psycopg2 / asyncpg / psycopg 3), at the versions of Debian 12 (environment.drivers lists them), one uvicorn worker per target, on h11 without uvloop or httptools: the ADR does not say which it ran.",
  },
} as const satisfies Record<string, { baseline: string; title: string; baselineHow: string; limit: string }>;

export type AdrStackName = keyof typeof ADR_STACKS;
export const ADR_STACK_NAMES = Object.keys(ADR_STACKS) as AdrStackName[];
export const ADR_STACK_CHOICES = ['node', 'fastapi', 'both'] as const;

/** One stack of a run: its baseline and its targets (the baseline first). */
export interface AdrStackDesign {
  stack: AdrStackName;
  baseline: string;
  adapters: { name: string; role: 'sync' | 'async' }[];
}

/** The stacks of a design; a design written before stacks existed is one node stack. */
export function stacksOf(design: AdrDesign): AdrStackDesign[] {
  return design.stacks ?? [{ stack: 'node', baseline: design.baseline, adapters: design.adapters }];
}

/** The design restricted to one stack: its baseline, its targets; everything else shared. */
export function stackDesign(design: AdrDesign, stack: AdrStackDesign): AdrDesign {
  return { ...design, baseline: stack.baseline, adapters: stack.adapters, stacks: [stack] };
}

/** What each side held while measured (closed-model windows): so that a reader can see the comparison is fair. */
export interface AdrResources {
  adapter: string;
  poolMax: number; // the pool size it was given
  dbBackendsMax: number; // backends seen in pg_stat_activity with its application_name
  processesMax: number | null; // server processes (null: not recorded)
  threadsMax: number | null; // threads summed over them
}

export function resourcesOf(design: AdrDesign, cells: readonly Cell[]): AdrResources[] {
  return design.adapters.map(({ name }) => {
    const own = cells.filter((c) => c.adapter === name && c.targetRate === undefined);
    const rounds = own.flatMap((c) => c.rounds);
    const max = (values: (number | null | undefined)[]) => {
      const v = values.filter((x): x is number => typeof x === 'number');
      return v.length === 0 ? null : Math.max(...v);
    };
    return {
      adapter: name,
      poolMax: own[0]?.poolMax ?? 0,
      dbBackendsMax: max(rounds.map((r) => r.dbBackends)) ?? 0,
      processesMax: max(rounds.map((r) => r.serverProcesses)),
      threadsMax: max(rounds.map((r) => r.serverThreads)),
    };
  });
}
