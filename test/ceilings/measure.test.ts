/** The ceilings measured for real: a bare HTTP child (gone afterwards), pgbench or the driver loop, the fingerprint. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgbench, freeConnections } from '../../bench/ceilings/db-ceiling.ts';
import { startBareHttpServer } from '../../bench/ceilings/bare-http-server.ts';
import { measureCeilings } from '../../bench/ceilings/index.ts';
import { measureDbCeiling } from '../../bench/ceilings/db-ceiling.ts';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import { createWrkRunner, findWrk } from '../../bench/runners/wrk/runner.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { alive, childrenWith } from '../support/process-tree.ts';

const JOBS = 500;
const PGBENCH = findPgbench();
if (!PGBENCH) console.warn('[pgbench ceiling test skipped] pgbench not found: apt-get install postgresql-client');
const WRK = findWrk();

describe('machine ceilings (real processes)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: JOBS });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('measures HTTP, DB and fingerprint with units, and leaves no server behind', async () => {
    const runner = WRK ? createWrkRunner({ bin: WRK }) : autocannonRunner;
    const c = await measureCeilings({ runner, connections: 4, databaseUrl: db.url, jobCount: JOBS, durationS: 1 });
    expect(c.notes.filter((n) => n.includes('failed'))).toEqual([]);
    expect(c.http).toMatchObject({ tool: runner.tool, connections: 4 });
    expect(c.http!.requests).toBeGreaterThan(0);
    expect(c.http!.requestsPerSec).toBeGreaterThan(0);
    expect(c.http!.latencyP50Us).toBeGreaterThan(0);
    expect(c.http!.latencyP99Us).toBeGreaterThanOrEqual(c.http!.latencyP50Us);
    expect(c.db).toMatchObject({
      method: PGBENCH ? 'pgbench' : 'driver-loop',
      clients: 4,
      protocol: PGBENCH ? 'prepared' : 'extended',
    });
    expect(c.db!.transactionsPerSec).toBeGreaterThan(0);
    expect(c.db!.latencyAvgUs).toBeGreaterThan(0);
    expect(c.fingerprint.loopbackRoundTripUs).toBeGreaterThan(0);
    expect(c.fingerprint.syscallNs).toBeGreaterThan(0);
    expect(c.fingerprint.singleCoreOpsPerSec).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(c.measuredAt))).toBe(false);
    expect(childrenWith('http.createServer')).toEqual([]); // the bare server's `node -e` source
  });

  it('stops the bare HTTP server child: its process is gone', async () => {
    const server = await startBareHttpServer();
    const body = await (await fetch(`${server.baseUrl}/health`)).json();
    expect(body).toEqual({ status: 'ok' });
    expect(alive(server.pid)).toBe(true);
    expect(childrenWith('http.createServer')).toEqual([server.pid]);
    await server.stop();
    expect(alive(server.pid)).toBe(false);
  });

  it.skipIf(!PGBENCH)("pgbench runs get-job's query at the given clients", async () => {
    const c = await measureDbCeiling({
      databaseUrl: db.url,
      clients: 2,
      durationS: 1,
      jobCount: JOBS,
      method: 'pgbench',
    });
    expect(c.transactions).toBeGreaterThan(0);
    expect(c.durationS).toBe(1);
  });

  it('the driver loop (no pgbench) reads real rows at the given clients', async () => {
    const c = await measureDbCeiling({
      databaseUrl: db.url,
      clients: 3,
      durationS: 0.5,
      jobCount: JOBS,
      method: 'driver-loop',
    });
    expect(c).toMatchObject({ method: 'driver-loop', clients: 3 });
    expect(c.transactions).toBeGreaterThan(3);
    expect(c.transactionsPerSec).toBeGreaterThan(0);
  });

  it("caps the DB ceiling's clients at what the database accepts, and says so", async () => {
    const free = await freeConnections(db.url);
    expect(free).toBeGreaterThan(0);
    // Other test files open and close connections meanwhile, so the cap seen by the run may differ from
    // `free` by any amount; what cannot move is the server's own limit.
    const [row] = await db.query<{ max_clients: number }>(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS max_clients`,
    );
    const limit = row!.max_clients;
    const c = await measureCeilings({
      runner: autocannonRunner,
      connections: 5000, // past any max_connections here: as asked, pgbench failed "too many clients already"
      databaseUrl: db.url,
      jobCount: JOBS,
      durationS: 1,
      // The driver loop connects every client before its clock starts; pgbench's clock runs while its
      // hundreds of clients connect (a second of them may be all connecting on a busy machine).
      dbMethod: 'driver-loop',
      skip: ['http'],
    });
    expect(c.notes.filter((n) => n.includes('failed'))).toEqual([]);
    expect(c.db!.requestedClients).toBe(5000);
    expect(c.db!.clients).toBeLessThan(5000);
    expect(c.db!.clients).toBeLessThan(limit); // at least the measuring connection and a margin stay free
    expect(c.db!.transactions).toBeGreaterThan(0);
    expect(c.notes.join('\n')).toContain(`DB ceiling (get-job) at ${c.db!.clients} clients, not 5000`);
  });

  it('names the reason in notes when the database is unreachable', async () => {
    const bad = new URL(db.url);
    bad.pathname = '/jobbench_no_such_database';
    const c = await measureCeilings({
      runner: autocannonRunner,
      connections: 2,
      databaseUrl: bad.toString(),
      jobCount: JOBS,
      durationS: 1,
      skip: ['http'],
    });
    expect(c.http).toBeNull();
    expect(c.db).toBeNull();
    expect(c.notes.join('\n')).toMatch(/DB ceiling \(get-job, 2 clients\) failed/);
  });
});
