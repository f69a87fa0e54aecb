import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { DEFAULTS } from '../../src/config.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';

// What the API writes to stderr at each log level (src/app.ts): Fastify has a logger only at debug and
// trace (its per-request work costs a /health request ~10% of its instructions even when it logs
// nothing); at the other levels the app's own logger still writes the 500s, with their request id.

const failing: JobRepository = {
  create: () => Promise.reject(new Error('not used')),
  getById: () => Promise.resolve(null),
  search: () => Promise.reject(new Error('not used')),
  stats: () => Promise.reject(new Error('password=hunter2')),
  ping: () => Promise.resolve(),
  poolStats: () => null,
  close: () => Promise.resolve(),
};

// The app's lines are pino's JSON; anything else on stderr (a Node warning) is not ours and is left out.
// The spy never throws: it stands in for the worker's own stderr.
let written: string[];
const lines = () =>
  written
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
beforeEach(() => {
  written = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function withApp(logLevel: string, fn: (app: ReturnType<typeof buildApp>) => Promise<void>) {
  const app = buildApp({
    repo: failing,
    adapter: 'pg-pool',
    config: { bodyLimitBytes: DEFAULTS.bodyLimitBytes, logLevel },
  });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

describe('the API logs', () => {
  it.each(['warn', 'info', 'error'])('a 500 at level %s, with the request id and no request lines', async (level) => {
    await withApp(level, async (app) => {
      expect((await app.inject('/health')).statusCode).toBe(200);
      expect(lines()).toEqual([]);
      const res = await app.inject('/jobs/stats');
      expect(res.statusCode).toBe(500);
      expect(lines()).toHaveLength(1);
      expect(lines()[0]).toMatchObject({
        level: 50,
        msg: 'unexpected error',
        adapter: 'pg-pool',
        reqId: res.headers['x-request-id'] ?? expect.any(String),
      });
    });
  });

  it('nothing at level silent', async () => {
    await withApp('silent', async (app) => {
      expect((await app.inject('/jobs/stats')).statusCode).toBe(500);
      expect(lines()).toEqual([]);
    });
  });

  it('every request, through Fastify, at level debug', async () => {
    await withApp('debug', async (app) => {
      await app.inject('/health');
      expect(lines().map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
      written = [];
      await app.inject('/jobs/stats');
      expect(lines().map((l) => l.msg)).toContain('unexpected error');
      expect(lines().find((l) => l.msg === 'unexpected error')).toMatchObject({ level: 50, reqId: expect.any(String) });
    });
  });
});
