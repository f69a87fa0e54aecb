import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seed } from '../../src/db/seed.ts';
import { startCli, type LongRunning } from '../cli/support.ts';
import { privateClusterAvailable, startPrivateCluster, type PrivateCluster } from '../support/private-cluster.ts';

// The API under a database outage, per adapter, as a real `jobbench serve` process against a cluster of
// the test's own: while PostgreSQL is down every route that needs it answers 503 with a catalogued code
// and Retry-After within the acquire timeout (no hang, no 500, no crash), /ready says not ready, /health
// stays 200; once PostgreSQL is back the same process (same pid) serves again, without a restart.

const CONNECT_TIMEOUT_MS = 1_000;
// pg-sync's libpq rounds connect_timeout up to whole seconds, at least 2 (src/adapters/pg-sync.ts).
const BOUND_MS = 2_000 + 1_500;
const RECOVER_WITHIN_MS = 15_000;
const DB_ROUTES = [
  { method: 'GET', path: '/ready' },
  { method: 'GET', path: '/jobs/1' },
  { method: 'GET', path: '/jobs?limit=5' },
  { method: 'GET', path: '/jobs?q=engineer&remote=true' },
  { method: 'GET', path: '/jobs/stats' },
  { method: 'POST', path: '/jobs' },
] as const;
const JOB = {
  title: 'Outage Engineer',
  company: 'Faults Ltd',
  location: 'Down Town',
  contract: 'full-time',
  remote: true,
  tags: ['faults'],
  description: 'We are hiring an engineer who keeps answering while the database is gone.',
};
const DB_CODES = ['JOBBENCH_ERR_DB_UNAVAILABLE', 'JOBBENCH_ERR_DB_TIMEOUT'];

interface Answer {
  status: number;
  body: { code?: string; message?: string };
  retryAfter: string | null;
  elapsedMs: number;
}

async function call(base: string, route: { method: string; path: string }): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(base + route.path, {
    method: route.method,
    signal: AbortSignal.timeout(30_000), // far past the bound: a hang fails on the time assertion
    ...(route.method === 'POST' && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(JOB) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text.startsWith('{') ? JSON.parse(text) : { message: text },
    retryAfter: res.headers.get('retry-after'),
    elapsedMs: performance.now() - started,
  };
}

let cluster: PrivateCluster;
beforeAll(async () => {
  if (!privateClusterAvailable()) return;
  cluster = await startPrivateCluster();
  await migrate(cluster.url);
  await seed(cluster.url, { jobs: 200, seed: 42 });
});
afterAll(() => cluster?.destroy());

for (const name of ADAPTER_NAMES) {
  const availability = await adapterAvailability(name);
  const skip = !availability.available || !privateClusterAvailable();
  describe.skipIf(skip)(`${name}${skip ? ' (skipped: no driver or no PostgreSQL 15 binaries)' : ''}`, () => {
    it(
      'answers 503 with a stable code and Retry-After during an outage, within the bound, then recovers in the same process',
      { timeout: 90_000 },
      async () => {
        const server: LongRunning = startCli(
          ['serve', '--adapter', name, '--port', '0', '--json', '--db', 'external'],
          {
            env: {
              DATABASE_URL: cluster.url,
              JOBBENCH_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
              JOBBENCH_STATEMENT_TIMEOUT_MS: '2000',
              JOBBENCH_POOL_MAX: '4',
            },
          },
        );
        try {
          const ready = await server.firstJsonLine();
          const base = ready.url as string;
          const pid = server.child.pid;
          // Warm: the pool holds open connections, which the outage will sever.
          for (const route of DB_ROUTES) expect((await call(base, route)).status, route.path).toBeLessThan(300);

          cluster.stop();
          const timings: string[] = [];
          try {
            for (let round = 0; round < 3; round++) {
              for (const route of DB_ROUTES) {
                const a = await call(base, route);
                expect({ route: route.path, status: a.status, retryAfter: a.retryAfter }).toEqual({
                  route: route.path,
                  status: 503,
                  retryAfter: '1',
                });
                expect(DB_CODES, JSON.stringify(a.body)).toContain(a.body.code);
                timings.push(`${round} ${route.method} ${route.path} ${a.elapsedMs.toFixed(0)} ms ${a.body.code}`);
                expect(a.elapsedMs, `${route.method} ${route.path}:\n${timings.join('\n')}`).toBeLessThan(BOUND_MS);
              }
              const health = await call(base, { method: 'GET', path: '/health' });
              expect(health.status).toBe(200);
            }
          } finally {
            cluster.start();
          }

          // Recovery without a restart: every route answers again within RECOVER_WITHIN_MS.
          const deadline = performance.now() + RECOVER_WITHIN_MS;
          for (const route of DB_ROUTES) {
            let a = await call(base, route);
            while (a.status === 503 && performance.now() < deadline) {
              await new Promise((r) => setTimeout(r, 100));
              a = await call(base, route);
            }
            expect(a.status, `${route.path} after the outage: ${JSON.stringify(a.body)}`).toBeLessThan(300);
          }
          // A restart while the pool is warm and idle: the severed connections are replaced by themselves.
          cluster.stop();
          cluster.start();
          const restartDeadline = performance.now() + RECOVER_WITHIN_MS;
          for (const route of DB_ROUTES) {
            let a = await call(base, route);
            while (a.status === 503 && performance.now() < restartDeadline) a = await call(base, route);
            expect(a.status, `${route.path} after a restart: ${JSON.stringify(a.body)}`).toBeLessThan(300);
          }

          const proc = (await (await fetch(base + '/internal/process')).json()) as { pid: number };
          expect(proc.pid).toBe(pid);
          expect(server.child.exitCode).toBeNull();
        } finally {
          const exit = await server.stop('SIGTERM');
          expect(exit.stderr).not.toMatch(/unhandled|uncaught/i);
        }
      },
    );
  });
}
