import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/host/free-port.ts';

// A PostgreSQL cluster of the test's own, which it may stop and start (the machine's one at :5432 is
// shared and must never be stopped). The distribution's binaries through pg_ctl, trust auth, a free port.

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PrivateCluster {
  url: string; // the postgres database; no password (trust)
  port: number;
  /** pg_ctl stop -m fast: open sessions are terminated (57P01), new connections refused. */
  stop(): void;
  /** pg_ctl start -w: returns once it accepts connections. */
  start(): void;
  /** Stops it for good and removes its folder. */
  destroy(): void;
}

export function privateClusterAvailable(): boolean {
  return existsSync(join(PG_BIN, 'pg_ctl'));
}

/** postgres refuses to run as root: as root, run its binaries as the postgres user. */
function ids(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const owner = ids();
  const root = mkdtempSync(join(tmpdir(), 'jobbench-private-pg-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(dataDir, owner.uid, owner.gid);
  }
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const sh = (bin: string, args: string[]) => {
    const r = spawnSync(join(PG_BIN, bin), args, { ...owner, env, cwd: root, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited with ${r.status}: ${r.stderr || r.stdout}`);
  };
  sh('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off`;
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      sh('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(root, 'log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    stop() {
      sh('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
    },
    destroy() {
      try {
        if (running) cluster.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  cluster.start();
  return cluster;
}
