import type { TargetStyle } from '../../targets/styles.ts';

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
      'sync `def` endpoints run in Starlette\'s thread pool (anyio, 40 threads) over a SQLAlchemy connection pool (pool_size = --pool-max, 40 by default in adr as the threads, no overflow): the ADR\'s "before"; fastapi-asyncpg (SQLAlchemy asyncio engine) is its "after", fastapi-psycopg3 (psycopg_pool, async) its alternative 2',
    limit:
      "This stack is the ADR's own (FastAPI, SQLAlchemy, psycopg2 / asyncpg / psycopg 3), at the versions of Debian 12 (environment.drivers lists them), one uvicorn worker per target, with the event loop and HTTP parser uvicorn chose (uvloop and httptools when they import, else asyncio and h11: each cell's targetFacts says which ran): the ADR does not say which it ran.",
  },
} as const satisfies Record<string, { baseline: string; title: string; baselineHow: string; limit: string }>;

export type AdrStackName = keyof typeof ADR_STACKS;
export const ADR_STACK_NAMES = Object.keys(ADR_STACKS) as AdrStackName[];
export const ADR_STACK_CHOICES = ['node', 'fastapi', 'both'] as const;

/** One stack of a run: its baseline and its targets (the baseline first). */
export interface AdrStackDesign {
  stack: AdrStackName;
  baseline: string;
  adapters: { name: string; role: TargetStyle }[];
}
