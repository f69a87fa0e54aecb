import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, parsePostmasterOpts, planControl, type ServerFacts } from '../../bench/db/external-control.ts';
import { gatherFacts } from '../../bench/db/external-facts.ts';
import { powerOf } from '../../bench/db/external-power.ts';
import { privateClusterAvailable, startPrivateCluster, type PrivateCluster } from '../support/private-cluster.ts';

const FACTS: ServerFacts = {
  serverAddr: '127.0.0.1',
  dataDirectory: '/var/lib/postgresql/15/main',
  clusterName: '15/main',
  versionNum: 150020,
  port: 5432,
  uid: 0,
  dataDirOwner: { uid: 101, name: 'postgres' },
  postmaster: { pid: 2244, port: 5432, exe: '/usr/lib/postgresql/15/bin/postgres' },
  postmasterOptions: ['-c', 'config_file=/etc/postgresql/15/main/postgresql.conf'],
  pgCtlCluster: '/usr/bin/pg_ctlcluster',
  pgCtlOnPath: null,
  exists: (p) => p === '/usr/lib/postgresql/15/bin/pg_ctl',
};
const LOG = '/tmp/pg.log';

describe('planControl: how jobbench may stop and start an external PostgreSQL', () => {
  it('uses pg_ctlcluster for a Debian cluster, fast shutdown, no systemctl redirect', () => {
    expect(planControl(FACTS, LOG)).toEqual({
      controller: 'pg_ctlcluster 15 main',
      stop: {
        file: '/usr/bin/pg_ctlcluster',
        args: ['--skip-systemctl-redirect', '-m', 'fast', '15', 'main', 'stop'],
      },
      start: { file: '/usr/bin/pg_ctlcluster', args: ['--skip-systemctl-redirect', '15', 'main', 'start'] },
    });
  });

  it("else pg_ctl beside the server's binary, as the data directory's owner, with the server's own options", () => {
    const plan = planControl({ ...FACTS, clusterName: '' }, LOG);
    expect(plan).toMatchObject({ controller: 'pg_ctl -D /var/lib/postgresql/15/main (as postgres)' });
    if ('refused' in plan) throw new Error(plan.refused);
    expect(plan.stop.file).toBe('runuser');
    expect(plan.stop.args).toEqual([
      '-u',
      'postgres',
      '--',
      '/usr/lib/postgresql/15/bin/pg_ctl',
      '-D',
      FACTS.dataDirectory,
      '-m',
      'fast',
      '-w',
      'stop',
    ]);
    expect(plan.start.args.slice(-3)).toEqual([
      '-o',
      `'-c' 'config_file=/etc/postgresql/15/main/postgresql.conf'`,
      'start',
    ]);
    const asOwner = planControl({ ...FACTS, clusterName: '', uid: 101 }, LOG);
    expect(asOwner).toMatchObject({
      controller: 'pg_ctl -D /var/lib/postgresql/15/main',
      stop: { file: '/usr/lib/postgresql/15/bin/pg_ctl' },
    });
  });

  it.each([
    ['not loopback', { serverAddr: '10.0.0.5' }, /not on a loopback address \(it answers at 10\.0\.0\.5\)/],
    ['not a superuser', { dataDirectory: null }, /data directory is unreadable .* superuser/],
    ['not this machine', { dataDirOwner: null }, /not that of a server running on this machine at port 5432/],
    [
      'another server',
      { postmaster: { pid: 1, port: 5433, exe: null } },
      /not that of a server running on this machine/,
    ],
    ['not the owner', { uid: 1000 }, /runs as uid 1000 but the data directory belongs to postgres/],
    ['no pg_ctl', { clusterName: '', exists: (): boolean => false }, /no pg_ctl of PostgreSQL 15 found/],
    [
      'pg_ctl of another major',
      { clusterName: '', exists: (): boolean => false, pgCtlOnPath: { path: '/x/pg_ctl', major: 16 } },
      /no pg_ctl of PostgreSQL 15/,
    ],
  ] as const)('refuses with the reason: %s', (_name, change, reason) => {
    const plan = planControl({ ...FACTS, ...change } as ServerFacts, LOG);
    expect('refused' in plan && plan.refused).toMatch(reason);
  });

  it('knows loopback and Unix sockets from other addresses', () => {
    expect([null, '127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.5', '172.17.0.2', '::ffff:10.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('reads postmaster.opts without the binary and its -D', () => {
    const opts =
      '/usr/lib/postgresql/15/bin/postgres "-D" "/var/lib/postgresql/15/main" "-c" "config_file=/etc/x.conf"\n';
    expect(parsePostmasterOpts(opts)).toEqual(['-c', 'config_file=/etc/x.conf']);
  });
});

// For real: by default a private cluster of this test (pg_ctl, as the data directory's owner); the
// machine's Debian cluster (pg_ctlcluster, and pg_ctl) only with JOBBENCH_TEST_RESTART_MACHINE_PG=1: it
// is shared, and stopping it would fail every other test using it (tests/support/private-cluster.ts).
const MACHINE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const machine =
  process.env.JOBBENCH_TEST_RESTART_MACHINE_PG === '1' &&
  existsSync('/etc/postgresql/15/main') &&
  process.getuid?.() === 0;
const accepts = async (url: string) => {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  c.on('error', () => {});
  return c.connect().then(
    () => (void c.end(), true),
    () => false,
  );
};
const LOG_FILE = join(tmpdir(), 'jobbench-pg_ctl-test.log');

async function stopAndStart(url: string, change: (f: ServerFacts) => ServerFacts, controller: RegExp) {
  const plan = planControl(change(await gatherFacts(url)), LOG_FILE);
  if ('refused' in plan) throw new Error(plan.refused);
  expect(plan.controller).toMatch(controller);
  const power = powerOf(url, plan);
  try {
    await power.pause();
    expect(await accepts(url)).toBe(false);
    await power.resume(); // resolves only once the server accepts connections
    expect(await accepts(url)).toBe(true);
    await power.pause();
    await power.release(); // what the end of a run does with a server left stopped (an error, Ctrl-C)
    expect(await accepts(url)).toBe(true);
  } finally {
    await power.release();
  }
}

describe.skipIf(!privateClusterAvailable())('a private PostgreSQL cluster, stopped and started with pg_ctl', () => {
  let cluster: PrivateCluster;
  beforeAll(async () => void (cluster = await startPrivateCluster()));
  afterAll(() => {
    cluster?.destroy();
    rmSync(LOG_FILE, { force: true });
  });

  it('down after pause, accepting after resume, started again by release()', async () => {
    await stopAndStart(cluster.url, (f) => f, /^pg_ctl -D \S+jobbench-private-pg-\w+\/data/);
  }, 120_000);
});

describe.skipIf(!machine)("the machine's PostgreSQL 15 (JOBBENCH_TEST_RESTART_MACHINE_PG=1)", () => {
  afterAll(async () => {
    // Whatever happened, leave it running.
    if (!(await accepts(MACHINE_URL)))
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'start'], { stdio: 'ignore' });
  });

  it('by pg_ctl, as postgres, with the options of postmaster.opts (config_file in /etc)', async () => {
    const pgCtl = /^pg_ctl -D \/var\/lib\/postgresql\/15\/main \(as postgres\)$/;
    await stopAndStart(MACHINE_URL, (f) => ({ ...f, pgCtlCluster: null }), pgCtl);
  }, 120_000);

  // Last: it leaves the cluster as Debian runs it (its log in /var/log/postgresql).
  it('by pg_ctlcluster', async () => {
    await stopAndStart(MACHINE_URL, (f) => f, /^pg_ctlcluster 15 main$/);
  }, 120_000);
});
