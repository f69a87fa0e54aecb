import { Type, type Static } from '@sinclair/typebox';
import { nullable, record } from './schema-kit.ts';

/**
 * A started target's own report of what it runs with (targets/fastapi/facts.py, GET /internal/target),
 * observed in the running process rather than taken from its settings. `error`: it could not say (the
 * cell is still measured).
 */
export const TargetFactsSchema = Type.Object(
  {
    target: Type.Optional(Type.String()),
    style: Type.Optional(Type.String()), // bench/targets/styles.ts
    python: Type.Optional(Type.String()), // interpreter version
    executable: Type.Optional(Type.String()),
    loop: Type.Optional(Type.String()), // the event loop that runs: asyncio | uvloop
    loopSetting: Type.Optional(Type.String()), // what was asked (auto: uvicorn's choice)
    http: Type.Optional(Type.String()), // the HTTP parser that runs: h11 | httptools
    httpSetting: Type.Optional(Type.String()),
    poolMax: Type.Optional(Type.Integer()), // per worker
    threads: Type.Optional(Type.Integer()), // anyio's thread limiter (sync endpoints)
    poolFill: Type.Optional(Type.String()), // lazy (connections opened as needed) | open (all at start)
    statementCacheSize: Type.Optional(nullable(Type.Integer())), // per connection; null: the driver prepares none
    statementCache: Type.Optional(Type.String()), // whose cache that is, in words
    prepareThreshold: Type.Optional(nullable(Type.Integer())), // psycopg 3: executions before a statement is prepared
    psycopgImpl: Type.Optional(Type.String()), // psycopg.pq.__impl__: c | binary | python (ctypes, slower)
    libpq: Type.Optional(Type.String()),
    modules: Type.Optional(record(Type.String())), // every distribution the process imported → version
    error: Type.Optional(Type.String()),
  },
  {
    description:
      "What the target reported it ran with at its first start in this cell (FastAPI: GET /internal/target): event loop, HTTP parser, statement cache, psycopg's implementation, module versions",
  },
);
export type TargetFacts = Static<typeof TargetFactsSchema>;
