import type { DbConfig, JobRepository } from '../domain/job-repository.ts';

/**
 * The closed set of adapters. Server, CLI, tests and bench all enumerate this table.
 * Factories are loaded lazily so that an optional driver (pg-native) that cannot load
 * does not stop the others.
 */
export const ADAPTERS = {
  'pg-pool': { driver: 'pg', async: true, load: () => import('./pg-pool.ts').then((m) => m.createPgPoolRepository) },
  'postgres-js': { driver: 'postgres', async: true, load: () => import('./postgres-js.ts').then((m) => m.createPostgresJsRepository) },
  kysely: { driver: 'kysely', async: true, load: () => import('./kysely.ts').then((m) => m.createKyselyRepository) },
} as const satisfies Record<string, AdapterEntry>;

export interface AdapterEntry {
  driver: string; // npm package whose version goes into the results' environment
  async: boolean; // false for the blocking baseline
  load: () => Promise<(config: DbConfig) => JobRepository>;
}

export type AdapterName = keyof typeof ADAPTERS;
export const ADAPTER_NAMES = Object.keys(ADAPTERS) as AdapterName[];

export function isAdapterName(name: string): name is AdapterName {
  return Object.hasOwn(ADAPTERS, name);
}

/** Builds the named adapter's repository with the shared DbConfig. */
export async function createRepository(name: AdapterName, config: DbConfig): Promise<JobRepository> {
  const factory = await ADAPTERS[name].load();
  return factory(config);
}
