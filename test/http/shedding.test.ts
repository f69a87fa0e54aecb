import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/adapters/registry.ts';
import { buildApp, type App } from '../../src/app.ts';
import { DEFAULTS, readConfig } from '../../src/config.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';
import { SHED_SAMPLE_INTERVAL_MS } from '../../src/http/shedding.ts';
import { testDbConfig } from '../repository/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { expectError } from './support.ts';

// serve --shed: once the event loop lags past the threshold, API requests get 503 JOBBENCH_ERR_OVERLOADED
// with Retry-After before any work; /health and the runner's /internal/process are still answered; when the
// lag is gone, requests are served again. The lag is made by blocking the loop, as an overload does.

let db: TestDatabase;
let repo: JobRepository;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 10 });
  repo = await createRepository('pg-pool', testDbConfig(db.url, 'pg-pool'));
});
afterAll(async () => {
  await repo?.close();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function blockLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: the event loop cannot run a timer meanwhile
  }
}

async function app(shed: boolean): Promise<App> {
  const a = buildApp({
    repo,
    adapter: 'pg-pool',
    config: { bodyLimitBytes: DEFAULTS.bodyLimitBytes, logLevel: 'silent', shed, shedMaxDelayMs: 20 },
  });
  await a.ready();
  return a;
}

/** Blocks the loop through one whole sample window, so that its mean delay is far past 20 ms. */
async function overload(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    blockLoop(SHED_SAMPLE_INTERVAL_MS / 2);
    await sleep(1);
  }
}

describe('load shedding', () => {
  it('answers 503 JOBBENCH_ERR_OVERLOADED with Retry-After while the loop lags, then serves again', async () => {
    const a = await app(true);
    try {
      expect((await a.inject('/jobs/1')).statusCode).toBe(200);
      await overload();
      expectError(await a.inject('/jobs/1'), 503, 'JOBBENCH_ERR_OVERLOADED');
      expectError(await a.inject({ method: 'POST', url: '/jobs', payload: {} }), 503, 'JOBBENCH_ERR_OVERLOADED');
      expect((await a.inject('/health')).statusCode).toBe(200);
      expect((await a.inject('/internal/process')).statusCode).toBe(200);
      await sleep(3 * SHED_SAMPLE_INTERVAL_MS);
      expect((await a.inject('/jobs/1')).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });

  it('is off by default: the same lag sheds nothing', async () => {
    expect(readConfig({}).shed).toBe(false);
    expect(readConfig({ JOBBENCH_SHED: 'on', JOBBENCH_SHED_MAX_DELAY_MS: '50' })).toMatchObject({
      shed: true,
      shedMaxDelayMs: 50,
    });
    const a = await app(false);
    try {
      await overload();
      expect((await a.inject('/jobs/1')).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});
