/**
 * Settings of a FastAPI target beyond the pool every target gets: uvicorn's event loop and HTTP parser,
 * the driver's statement cache, the sync thread pool. Each is optional; absent means what the target
 * did before it was a setting (uvicorn's "auto", the driver's default, anyio's 40 threads). The target
 * reports what it really ran with (GET /internal/target: bench/targets/target-facts.ts).
 */
export const FASTAPI_LOOPS = {
  auto: "uvicorn's choice: uvloop when it imports, else asyncio",
  asyncio: "the standard library's event loop",
  uvloop: 'libuv-based loop (Debian python3-uvloop, pip uvloop)',
} as const;
export type FastapiLoop = keyof typeof FASTAPI_LOOPS;
export const FASTAPI_LOOP_NAMES = Object.keys(FASTAPI_LOOPS) as FastapiLoop[];

export const FASTAPI_HTTP_PARSERS = {
  auto: "uvicorn's choice: httptools when it imports, else h11",
  h11: 'pure-Python HTTP/1.1 parser',
  httptools: 'C parser (Debian python3-httptools 0.1.1, pip httptools)',
} as const;
export type FastapiHttpParser = keyof typeof FASTAPI_HTTP_PARSERS;
export const FASTAPI_HTTP_PARSER_NAMES = Object.keys(FASTAPI_HTTP_PARSERS) as FastapiHttpParser[];

export interface FastapiSettings {
  /** uvicorn --loop (default auto). */
  loop?: FastapiLoop;
  /** uvicorn --http (default auto). */
  http?: FastapiHttpParser;
  /**
   * Prepared statements cached per connection (default: the driver's, 100 for SQLAlchemy's asyncpg
   * adapter, asyncpg and psycopg 3; 0: none). Only for targets whose driver prepares
   * (FASTAPI_TARGETS[name].prepares): psycopg2 refuses it.
   */
  statementCacheSize?: number;
  /** Thread pool of the sync target (default 40, anyio's). */
  threads?: number;
}

/** The settings as `python3 -m targets.fastapi` flags; absent settings add nothing. */
export function fastapiSettingsArgs(settings: FastapiSettings): string[] {
  return [
    ...(settings.loop === undefined ? [] : ['--loop', settings.loop]),
    ...(settings.http === undefined ? [] : ['--http', settings.http]),
    ...(settings.statementCacheSize === undefined
      ? []
      : ['--statement-cache-size', String(settings.statementCacheSize)]),
    ...(settings.threads === undefined ? [] : ['--threads', String(settings.threads)]),
  ];
}
