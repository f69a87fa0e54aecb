import type { DbConfig, JobRepository } from '../domain/job-repository.ts';

/**
 * The closed set of adapters. Server, CLI, tests and bench all enumerate this table.
 * Factories are loaded lazily so that an optional driver (pg-native) that cannot load
 * does not stop the others.
 */
export const ADAPTERS = {
  'pg-pool': { driver: 'pg', async: true, load: () => import('./pg-pool.ts').then((m) => m.createPgPoolRepository) },
  'postgres-js': {
    driver: 'postgres',
    async: true,
    load: () => import('./postgres-js.ts').then((m) => m.createPostgresJsRepository),
  },
  kysely: { driver: 'kysely', async: true, load: () => import('./kysely.ts').then((m) => m.createKyselyRepository) },
  'pg-sync': {
    driver: 'pg-native',
    async: false,
    load: () => import('./pg-sync.ts').then((m) => m.createPgSyncRepository),
    install:
      'pg-sync needs pg-native, which compiles against libpq: apt-get install libpq-dev && npm rebuild libpq (or npm install after installing libpq-dev)',
  },
} as const satisfies Record<string, AdapterEntry>;

export interface AdapterEntry {
  driver: string; // npm package whose version goes into the results' environment
  async: boolean; // false for the blocking baseline
  load: () => Promise<(config: DbConfig) => JobRepository>;
  install?: string; // what to install when load() fails (optional drivers)
}

export type AdapterName = keyof typeof ADAPTERS;
export const ADAPTER_NAMES = Object.keys(ADAPTERS) as AdapterName[];

export function isAdapterName(name: string): name is AdapterName {
  return Object.hasOwn(ADAPTERS, name);
}

export type AdapterAvailability = { available: true } | { available: false; reason: string };

/** Tries to load the adapter's driver; an optional one (pg-native) may be missing or not built. */
export async function adapterAvailability(name: AdapterName): Promise<AdapterAvailability> {
  const entry: AdapterEntry = ADAPTERS[name];
  try {
    await entry.load();
    return { available: true };
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    return {
      available: false,
      reason: `${entry.install ?? `${name} cannot load its driver ${entry.driver}`} (${why})`,
    };
  }
}

/** Splits `names` into the adapters that load here and the ones that do not, with the reason. */
export async function availableAdapters(
  names: readonly AdapterName[] = ADAPTER_NAMES,
): Promise<{ available: AdapterName[]; unavailable: { name: AdapterName; reason: string }[] }> {
  const available: AdapterName[] = [];
  const unavailable: { name: AdapterName; reason: string }[] = [];
  for (const name of names) {
    const a = await adapterAvailability(name);
    if (a.available) available.push(name);
    else unavailable.push({ name, reason: a.reason });
  }
  return { available, unavailable };
}

/** Builds the named adapter's repository with the shared DbConfig; says what to install when it cannot load. */
export async function createRepository(name: AdapterName, config: DbConfig): Promise<JobRepository> {
  const entry: AdapterEntry = ADAPTERS[name];
  const factory = await entry.load().catch((err: Error) => {
    throw new Error(entry.install ? `${entry.install} (${err.message.split('\n')[0]})` : err.message, { cause: err });
  });
  return factory(config);
}
