import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/host/free-port.ts';
import { ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobBody } from '../http/support.ts';
import { runCli, startCli, withPassword, type LongRunning } from './support.ts';

// `jobbench serve` as the benchmark runner uses it: a child process on a real socket, DATABASE_URL set.

const AVAILABLE = new Set(
  (await Promise.all(ADAPTER_NAMES.map(async (n) => ((await adapterAvailability(n)).available ? n : null)))).filter(
    Boolean,
  ),
);

let db: TestDatabase;
const running = new Set<LongRunning>();
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 100 });
});
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop('SIGKILL')));
  await db?.drop();
});

async function serve(adapter: string, extra: string[] = []): Promise<{ server: LongRunning; base: string }> {
  const server = startCli(['serve', '--adapter', adapter, '--port', '0', '--json', '--db', 'external', ...extra], {
    env: { DATABASE_URL: db.url },
  });
  running.add(server);
  const ready = await server.firstJsonLine();
  expect(ready).toMatchObject({ event: 'listening', adapter, poolMax: 10, pid: server.child.pid });
  return { server, base: ready.url as string };
}

async function backends(adapter: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [`jobbench:${adapter}`],
  );
  return row!.n;
}

describe('jobbench serve', () => {
  it('exits 2 listing the valid adapters for an unknown one', async () => {
    const res = await runCli(['serve', '--adapter', 'nope']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown adapter "nope"');
    for (const name of ADAPTER_NAMES) expect(res.stderr).toContain(name);
  });

  it('documents its options with --help', async () => {
    const res = await runCli(['serve', '--help']);
    expect(res.code).toBe(0);
    for (const flag of [
      '--adapter',
      '--port',
      '--host',
      '--pool-max',
      '--db',
      '--jobs',
      '--seed',
      '--metrics',
      '--json',
    ])
      expect(res.stdout).toContain(flag);
  });

  it('exits 2 with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const res = await runCli(['serve', '--adapter', 'pg-pool', '--port', String(port), '--db', 'external'], {
        env: { DATABASE_URL: db.url },
      });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`cannot listen on http://127.0.0.1:${port}: the port is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 with a clear message, and no password, when the database cannot be reached', async () => {
    const { url, password } = withPassword(`postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`);
    const res = await runCli(['serve', '--adapter', 'pg-pool', '--port', '0'], { env: { DATABASE_URL: url } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('cannot reach the database at postgresql://postgres:***@127.0.0.1');
    expect(res.stderr + res.stdout).not.toContain(password);
  });

  for (const name of ADAPTER_NAMES) {
    it.skipIf(!AVAILABLE.has(name))(
      `answers every route with --adapter ${name}, then stops on SIGTERM with exit 0 and its pool closed`,
      { timeout: 60_000 },
      async () => {
        const { server, base } = await serve(name);
        await server.stderrContains(`listening on ${base} (adapter ${name}, pool max 10)`);
        const get = (path: string) => fetch(base + path);
        expect(await (await get('/health')).json()).toEqual({ status: 'ok' });
        expect(await (await get('/ready')).json()).toEqual({ status: 'ready' });
        const created = await fetch(`${base}/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(jobBody({ title: `Served by ${name}` })),
        });
        expect(created.status).toBe(201);
        const job = (await created.json()) as { id: string };
        expect(await (await get(`/jobs/${job.id}`)).json()).toMatchObject({ id: job.id, title: `Served by ${name}` });
        const page = (await (await get('/jobs?limit=5&contract=full-time')).json()) as {
          items: unknown[];
          nextCursor: string;
        };
        expect(page.items).toHaveLength(5);
        expect((await get(`/jobs?limit=5&contract=full-time&cursor=${page.nextCursor}`)).status).toBe(200);
        expect(((await (await get('/jobs/stats')).json()) as { total: number }).total).toBeGreaterThanOrEqual(100);
        const proc = (await (await get('/internal/process?reset=1')).json()) as { pid: number; cpuUserUs: number };
        expect(proc.pid).toBe(server.child.pid);
        expect(proc.cpuUserUs).toBeGreaterThan(0);
        const metrics = await get('/metrics');
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toContain(`jobbench_info{adapter="${name}",pool_max="10"`);
        const notFound = await get('/jobs/999999999');
        expect(notFound.status).toBe(404);
        expect(await notFound.json()).toMatchObject({ code: 'JOBBENCH_ERR_NOT_FOUND' });
        expect((await get('/jobs?limit=0')).status).toBe(400);
        expect(await backends(name)).toBeGreaterThan(0);

        const res = await server.stop('SIGTERM');
        running.delete(server);
        expect(res.code).toBe(0);
        expect(res.stderr).toContain('stopped');
        // Backends leave pg_stat_activity a moment after their client disconnects.
        for (let i = 0; i < 100 && (await backends(name)) > 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await backends(name)).toBe(0);
      },
    );
  }

  it('finishes an in-flight request before it exits on SIGTERM', { timeout: 60_000 }, async () => {
    const { server, base } = await serve('pg-pool', ['--metrics', 'off']);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const lock = new pg.Client({ connectionString: db.url, application_name: 'jobbench:test-lock' });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE');
      const inFlight = fetch(`${base}/jobs/1`);
      for (let i = 0; i < 400; i++) {
        const rows = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = 'jobbench:pg-pool' AND wait_event_type = 'Lock'",
        );
        if (rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      server.child.kill('SIGTERM');
      await server.stderrContains('stopping: finishing in-flight requests');
      await lock.query('ROLLBACK');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: string }).id).toBe('1');
    } finally {
      await lock.end();
    }
    const exit = await server.exited;
    running.delete(server);
    expect(exit.code).toBe(0);
  });
});
