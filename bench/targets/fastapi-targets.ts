import type { TargetStyle } from './styles.ts';

/**
 * The FastAPI targets (targets/fastapi/, ADR-003's own stack), one row each: the driver module that
 * `python3 -m targets.fastapi --driver <driver>` loads, the Python modules it imports, its endpoint style
 * (bench/targets/styles.ts), whether `statementCacheSize` applies to it (its driver prepares statements),
 * and whether `jobbench adr` measures it when no target is named (the three ADR-003 names). Consumers
 * enumerate this table; targets/fastapi/config.py TARGETS is its Python side.
 */
export const FASTAPI_TARGETS = {
  'fastapi-psycopg2': {
    driver: 'psycopg2',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'sqlalchemy', 'psycopg2'],
    style: 'sync',
    prepares: false,
    adrDefault: true,
  },
  'fastapi-asyncpg': {
    driver: 'asyncpg',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'sqlalchemy', 'asyncpg'],
    style: 'async',
    prepares: true,
    adrDefault: true,
  },
  'fastapi-psycopg3': {
    driver: 'psycopg3',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'psycopg', 'psycopg_pool'],
    style: 'async',
    prepares: true,
    adrDefault: true,
  },
  'fastapi-psycopg2-async': {
    driver: 'psycopg2-async',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'sqlalchemy', 'psycopg2'],
    style: 'blocking',
    prepares: false,
    adrDefault: false,
  },
  'fastapi-asyncpg-raw': {
    driver: 'asyncpg-raw',
    modules: ['fastapi', 'uvicorn', 'prometheus_client', 'asyncpg'],
    style: 'async',
    prepares: true,
    adrDefault: false,
  },
} as const satisfies Record<
  string,
  { driver: string; modules: readonly string[]; style: TargetStyle; prepares: boolean; adrDefault: boolean }
>;

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
  uvloop: 'python3-uvloop',
  httptools: 'python3-httptools',
};
