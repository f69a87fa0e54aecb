import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { withClient } from './client.ts';
import { parsePostmasterOpts, type ServerFacts } from './external-control.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

/** Gathers what planControl() needs: a few SHOWs over SQL, then the data directory as this machine sees it. */

const CONNECT_TIMEOUT_MS = 10_000;

async function sqlFacts(url: string) {
  return withClient(
    url,
    { applicationName: HARNESS_CONNECTIONS.probe, connectTimeoutMs: CONNECT_TIMEOUT_MS },
    async (client) => {
      const one = async (sql: string) => (await client.query<{ v: string | null }>(sql)).rows[0]!.v;
      const serverAddr = await one('SELECT host(inet_server_addr()) AS v');
      const clusterName = (await one(`SELECT current_setting('cluster_name') AS v`)) ?? '';
      const versionNum = Number(await one(`SELECT current_setting('server_version_num') AS v`));
      const port = Number(await one(`SELECT current_setting('port') AS v`));
      // Without superuser or pg_read_all_settings, reading data_directory is an error: caught as "unreadable".
      const dataDirectory = await one(`SELECT current_setting('data_directory') AS v`).catch(() => null);
      return { serverAddr, clusterName, versionNum, port, dataDirectory };
    },
  );
}

function userName(uid: number): string {
  try {
    return execFileSync('id', ['-nu', String(uid)], { encoding: 'utf8' }).trim();
  } catch {
    return String(uid);
  }
}

function onPath(file: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, file))) return join(dir, file);
  }
  return null;
}

function pgCtlVersion(path: string): number {
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    return Number(/\(PostgreSQL\) (\d+)/.exec(out)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

const readOr = <T>(fn: () => T, fallback: T): T => {
  try {
    return fn();
  } catch {
    return fallback;
  }
};

export async function gatherFacts(url: string): Promise<ServerFacts> {
  const sql = await sqlFacts(url);
  const dir = sql.dataDirectory;
  const owner = dir === null ? null : readOr(() => statSync(dir).uid, null);
  const postmaster = readOr(() => {
    // postmaster.pid: line 1 the pid, line 4 the port (PostgreSQL's own layout, pidfile.h)
    const lines = readFileSync(join(dir!, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return { pid, port: Number(lines[3]), exe: readOr(() => readlinkSync(`/proc/${pid}/exe`), null) };
  }, null);
  const pgCtl = onPath('pg_ctl');
  const clusterOk = /^(\d+)\/(.+)$/.exec(sql.clusterName);
  const pgCtlCluster = onPath('pg_ctlcluster');
  return {
    ...sql,
    uid: process.getuid?.() ?? -1,
    dataDirOwner: owner === null ? null : { uid: owner, name: userName(owner) },
    postmaster,
    postmasterOptions: readOr(() => parsePostmasterOpts(readFileSync(join(dir!, 'postmaster.opts'), 'utf8')), []),
    pgCtlCluster:
      clusterOk && pgCtlCluster && existsSync(join('/etc/postgresql', clusterOk[1]!, clusterOk[2]!))
        ? pgCtlCluster
        : null,
    pgCtlOnPath: pgCtl ? { path: pgCtl, major: pgCtlVersion(pgCtl) } : null,
    exists: existsSync,
  };
}
