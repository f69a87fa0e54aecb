/**
 * The FastAPI targets (targets/fastapi/, ADR-003's own stack), one row each: the driver module that
 * `python3 -m targets.fastapi --driver <driver>` loads, the Python modules it imports, and whether its
 * endpoints are sync `def` (Starlette's thread pool) or `async def`. Consumers enumerate this table.
 */
export const FASTAPI_TARGETS = {
  'fastapi-psycopg2': {
    driver: 'psycopg2',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'sqlalchemy', 'psycopg2'],
    style: 'sync',
  },
  'fastapi-asyncpg': {
    driver: 'asyncpg',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'sqlalchemy', 'asyncpg'],
    style: 'async',
  },
  'fastapi-psycopg3': {
    driver: 'psycopg3',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'psycopg', 'psycopg_pool'],
    style: 'async',
  },
} as const;

export type FastapiTargetName = keyof typeof FASTAPI_TARGETS;
export const FASTAPI_TARGET_NAMES = Object.keys(FASTAPI_TARGETS) as FastapiTargetName[];

export function isFastapiTargetName(name: string): name is FastapiTargetName {
  return Object.prototype.hasOwnProperty.call(FASTAPI_TARGETS, name);
}

/** Modules whose versions change a result without being required (uvicorn's fast paths). */
export const OPTIONAL_PYTHON_MODULES = ['uvloop', 'httptools', 'h11', 'starlette', 'pydantic', 'anyio'] as const;

/** What installs each module: Debian package and pip requirement (targets/fastapi/requirements.txt). */
export const PYTHON_MODULE_PACKAGES: Record<string, string> = {
  fastapi: 'python3-fastapi',
  uvicorn: 'python3-uvicorn',
  prometheus_client: 'python3-prometheus-client',
  sqlalchemy: 'python3-sqlalchemy',
  psycopg2: 'python3-psycopg2',
  asyncpg: 'python3-asyncpg',
  psycopg: 'python3-psycopg',
  psycopg_pool: 'python3-psycopg-pool',
};
