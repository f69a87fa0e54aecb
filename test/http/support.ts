import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { testDbConfig } from '../repository/fixtures.ts';
import { createRepository, type AdapterName } from '../../src/adapters/registry.ts';
import { buildApp, type App } from '../../src/app.ts';
import { DEFAULTS } from '../../src/config.ts';
import type { NewJob } from '../../src/domain/job.ts';
import type { DbConfig, JobRepository } from '../../src/domain/job-repository.ts';
import type { Metrics } from '../../src/metrics/index.ts';
import type { TestDatabase } from '../support/db.ts';

export interface TestApp {
  app: App;
  repo: JobRepository;
  close(): Promise<void>;
}

/** The app as src/server.ts builds it, on a test database, with generous timeouts unless overridden. */
export async function buildTestApp(
  adapter: AdapterName,
  url: string,
  overrides: Partial<DbConfig> = {},
  metrics?: Metrics,
): Promise<TestApp> {
  const repo = await createRepository(adapter, testDbConfig(url, adapter, overrides));
  const app = buildApp({
    repo,
    adapter,
    config: { bodyLimitBytes: DEFAULTS.bodyLimitBytes, logLevel: 'silent' },
    ...(metrics && { metrics }),
  });
  await app.ready();
  return {
    app,
    repo,
    async close() {
      await app.close();
      await repo.close();
    },
  };
}

/** A valid POST /jobs body. */
export function jobBody(overrides: Record<string, unknown> = {}): NewJob & Record<string, unknown> {
  return {
    title: 'Senior HTTP Test Engineer',
    company: 'Inject Ltd',
    location: 'Testville',
    contract: 'contract',
    remote: false,
    salaryMin: 40_000,
    salaryMax: 55_000,
    tags: ['fastify', 'vitest'],
    description: 'We are hiring an engineer to send requests that never reach a socket.',
    ...overrides,
  };
}

/** The rows and the schema, hashed: a request that changed anything changes this. */
export async function tableFingerprint(db: TestDatabase): Promise<{ jobs: number; hash: string; tables: number }> {
  const [row] = await db.query<{ jobs: number; hash: string; tables: number }>(
    `SELECT (SELECT count(*)::int FROM jobs) AS jobs,
            (SELECT md5(coalesce(string_agg(j::text, '|' ORDER BY id), '')) FROM jobs j) AS hash,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables`,
  );
  return row!;
}

/** Asserts the one error body of the API: status, code, a message, nothing else. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: res.statusCode, body: res.json() }, `${res.body}`).toEqual({
    status,
    body: { code, message: expect.any(String) },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  if (status === 503) expect(res.headers['retry-after']).toBe('1');
}

export type Request = InjectOptions & { url: string };
