import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILDREN_DIR } from '../../bench/host/children.ts';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { privateClusterAvailable, startPrivateCluster, type PrivateCluster } from '../support/private-cluster.ts';
import { orphansAfter, startJobbench } from './run-support.ts';

// `jobbench run --fault db-restart@2s --allow-db-restart` against an external PostgreSQL, in a database
// of its own: by default a private cluster of this test (restarted with pg_ctl); the machine's Debian
// cluster (pg_ctlcluster) only with JOBBENCH_TEST_RESTART_MACHINE_PG=1, since other tests share it.
// And the refusals, one line, exit 2.

const MACHINE = process.env.JOBBENCH_TEST_RESTART_MACHINE_PG === '1';
const MACHINE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const available = MACHINE
  ? existsSync('/etc/postgresql/15/main') && process.getuid?.() === 0
  : privateClusterAvailable();
const NO_SUPERUSER = 'jobbench_nosu';

let adminUrl = MACHINE_URL; // the private cluster's once started
async function admin(sql: string): Promise<void> {
  const c = new pg.Client(adminUrl);
  await c.connect();
  await c.query(sql).finally(() => c.end());
}
const accepts = async () => {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  c.on('error', () => {});
  return c.connect().then(
    () => (void c.end(), true),
    () => false,
  );
};
const dbUrl = (name: string, user = 'postgres') => {
  const u = new URL(adminUrl);
  u.username = user;
  u.pathname = `/${name}`;
  return u.toString();
};
const RUN = ['run', '--adapters', 'pg-pool', '--scenarios', 'get-job', '--rounds', '1', '--duration', '6'];
RUN.push('--warmup', '1', '--no-ceilings', '--connections', '4', '--jobs', '300');

describe.skipIf(!available)(
  `db-restart of ${MACHINE ? "the machine's" : 'a private'} PostgreSQL (--allow-db-restart)`,
  () => {
    const name = `jobbench_restart_${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'jobbench-external-restart-'));
    const marker = randomUUID();
    let run: Awaited<ReturnType<typeof startJobbench>['exited']>;
    let runPid: number;
    let results: Results;
    let cluster: PrivateCluster | undefined;
    // As root, pg_ctl runs as the data directory's owner (postgres).
    const controller = MACHINE ? /^pg_ctlcluster 15 main$/ : /^pg_ctl -D \S+\/data( \(as postgres\))?$/;

    beforeAll(async () => {
      if (!MACHINE) adminUrl = (cluster = await startPrivateCluster()).url;
      await admin(`CREATE DATABASE ${name}`);
      await admin(
        `DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='${NO_SUPERUSER}') THEN CREATE ROLE ${NO_SUPERUSER} LOGIN; END IF; END$$`,
      );
      const args = [...RUN, '--fault', 'db-restart@2s', '--allow-db-restart', '--out', dir];
      const started = startJobbench(args, { DATABASE_URL: dbUrl(name), JOBBENCH_TEST_MARKER: marker });
      runPid = started.pid;
      run = await started.exited;
      results = await readResults(join(dir, 'results.json'));
    }, 180_000);
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      if (cluster) return cluster.destroy();
      // Whatever happened, the machine's PostgreSQL is left running.
      if (!(await accepts()))
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'start'], { stdio: 'ignore' });
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`DROP ROLE IF EXISTS ${NO_SUPERUSER}`);
    });

    it('completes (exit 0) with the restart recorded in the window: events, controller, timeline', () => {
      expect(run.code, run.stderr).toBe(0);
      expect(results.status).toBe('complete');
      expect(results.failedWindows ?? []).toEqual([]);
      expect(results.config['allowDbRestart']).toBe(true);
      const round = results.cells.find((c) => c.fault === 'db-restart@2s')!.rounds[0]!;
      expect(round.faultEvents!.map((e) => [e.action, e.error])).toEqual([
        ['db stopped', undefined],
        ['db started', undefined],
      ]);
      for (const e of round.faultEvents!) expect(e.via).toMatch(controller);
      expect(Math.abs(round.faultEvents![0]!.atMs - 2_000)).toBeLessThan(500);
      expect(round.timeline!.length).toBeGreaterThanOrEqual(6);
      expect(round.resilience!.requestsFailed).toBeGreaterThan(0); // the restart was felt
      expect(round.resilience!.requestsNoAnswer).toBe(0);
      expect(run.stderr).toMatch(/db-restart faults: pg_ctl\S* .*stops and starts this PostgreSQL/);
    });

    it('leaves PostgreSQL running and no process of the run behind', async () => {
      expect(await accepts()).toBe(true);
      expect(await orphansAfter(marker)).toEqual([]);
      expect(existsSync(join(CHILDREN_DIR, `${runPid}.json`))).toBe(false); // a clean exit leaves no registry
    });

    // Ctrl-C while the server is down: once (the window settles: the restart completes), or twice (a
    // forced exit: the exit hook starts it synchronously, after any stop still in flight).
    it.each([[['SIGINT']], [['SIGINT', 'SIGINT']]] as const)(
      'a run interrupted while PostgreSQL is stopped (%j) leaves it running',
      async (signals) => {
        const marker = randomUUID();
        const args = [...RUN, '--fault', 'db-restart@2s', '--allow-db-restart', '--out', join(dir, signals.join('-'))];
        const r = startJobbench(args, { DATABASE_URL: dbUrl(name), JOBBENCH_TEST_MARKER: marker });
        const deadline = Date.now() + 120_000;
        while (await accepts()) {
          if (Date.now() > deadline) throw new Error(`PostgreSQL never went down:\n${r.stderr()}`);
          await new Promise((res) => setTimeout(res, 50));
        }
        for (const signal of signals) {
          r.kill(signal);
          await new Promise((res) => setTimeout(res, 100));
        }
        const exited = await r.exited;
        expect(exited.code, exited.stderr).toBe(130);
        expect(await accepts()).toBe(true); // already on the way out, not some time later
        expect(await orphansAfter(marker)).toEqual([]);
      },
      180_000,
    );

    it('refuses a role that cannot read data_directory: one line, exit 2, before anything starts', async () => {
      const args = [...RUN, '--fault', 'db-restart@2s', '--allow-db-restart'];
      const r = await startJobbench(args, { DATABASE_URL: dbUrl(name, NO_SUPERUSER) }).exited;
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^jobbench run: JOBBENCH_CLI_ERR_FAULT: --allow-db-restart: jobbench cannot stop and start the PostgreSQL at .*: its data directory is unreadable/,
        ),
      ]);
    }, 60_000);
  },
);

describe('db-restart of an external PostgreSQL is refused without --allow-db-restart', () => {
  it('names the flag: one line, exit 2', async () => {
    const r = await startJobbench([...RUN, '--fault', 'db-restart@2s'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' })
      .exited;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^jobbench run: JOBBENCH_CLI_ERR_FAULT: --fault "db-restart@2s": .* add --allow-db-restart to let jobbench/,
      ),
    ]);
  }, 60_000);

  it('--allow-db-restart without a db-restart fault is bad input', async () => {
    const r = await startJobbench([...RUN, '--allow-db-restart'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' })
      .exited;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^jobbench run: JOBBENCH_[A-Z_]+: --allow-db-restart goes with --fault db-restart@/);
  }, 60_000);

  it('a server that is not reachable keeps its own message (db-unreachable), not a restart refusal', async () => {
    const args = [...RUN, '--fault', 'db-restart@2s', '--allow-db-restart'];
    const r = await startJobbench(args, { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }).exited;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the database at postgres:\/\/u@127\.0\.0\.1:1\/x/);
  }, 60_000);
});
