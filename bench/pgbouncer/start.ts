import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TargetConnection } from '../targets/spec.ts';
import { freePort } from '../host/free-port.ts';
import { onExitSync, onShutdown } from '../host/lifecycle.ts';
import { authFileLine, parsePgBouncerVersion, pgbouncerIni, supportsPreparedStatements } from './config.ts';
import { trackChild } from '../host/children.ts';

const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
/**
 * The server's settings behind PgBouncer in transaction mode: postgres.js without named prepared
 * statements (the next transaction may run on a server connection that never saw the Parse) nor
 * pipelining (PgBouncer 1.18 wedges a connection on which postgres.js pipelines a parameterised query
 * with a parameterless one: both wait forever), and no
 * start-up migration (migrate.ts holds a session advisory lock across transactions, which transaction
 * pooling would leave held on some pooled connection); the runner migrates through the direct URL.
 */
export const TARGET_ENV = { JOBBENCH_PREPARE: 'off', JOBBENCH_PIPELINE: 'off', JOBBENCH_MIGRATE: 'off' } as const;

export const DEFAULT_MAX_CLIENT_CONN = 10_000; // a capacity search through PgBouncer opens up to --max-connections × pool

/** The pgbouncer binary (Debian puts it in /usr/sbin, often not on a user's PATH), or null. */
export function findPgBouncer(): string | null {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'pgbouncer'));
  return [...CANDIDATES, ...onPath].find((p) => existsSync(p)) ?? null;
}

export interface PgBouncer {
  url: string; // the upstream URL with host and port replaced by PgBouncer's (credentials kept: redact)
  adminUrl: string; // the admin console (database "pgbouncer")
  port: number;
  version: string; // "1.18.0"
  poolSize: number;
  preparedStatements: boolean; // whether this version could keep named prepared statements (>= 1.21)
  /** How a server under test reaches PostgreSQL through this PgBouncer (see TARGET_ENV). */
  connection(): TargetConnection;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  databaseUrl: string; // the direct URL of PostgreSQL (host:port over TCP)
  poolSize: number;
  maxClientConn?: number;
  statementTimeoutMs: number;
  bin?: string;
}

/** PgBouncer refuses to run as root: as root, run it as the postgres user (as embedded.ts does for postgres). */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) =>
        Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      // try the next one
    }
  }
  throw new Error('pgbouncer refuses to run as root and neither a "postgres" nor a "nobody" user exists');
}

/**
 * Starts PgBouncer in transaction mode in front of `databaseUrl`, with a configuration generated in a
 * private temp folder, on a free port of 127.0.0.1. Stopped by stop(), on exit, and on Ctrl-C.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const bin = options.bin ?? findPgBouncer();
  if (!bin) throw new Error('pgbouncer is not installed (Debian/Ubuntu: apt-get install pgbouncer)');
  const versionText = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  const versionParts = parsePgBouncerVersion(versionText);
  const upstream = new URL(options.databaseUrl);
  if (!upstream.hostname || upstream.hostname.startsWith('/'))
    throw new Error('--via pgbouncer needs a TCP database URL (host and port)');
  const user = decodeURIComponent(upstream.username) || process.env.PGUSER || userInfo().username;
  const password = upstream.password ? decodeURIComponent(upstream.password) : null;
  const ids = runAsIds();
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-pgbouncer-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const authFile = join(dir, 'userlist.txt');
  const iniFile = join(dir, 'pgbouncer.ini');
  writeFileSync(authFile, authFileLine(user, password), { mode: 0o600 });
  writeFileSync(
    iniFile,
    pgbouncerIni({
      listenPort: port,
      upstreamHost: upstream.hostname.replace(/^\[|\]$/g, ''),
      upstreamPort: Number(upstream.port || 5432),
      user,
      password,
      authFile,
      poolSize: options.poolSize,
      maxClientConn: options.maxClientConn ?? DEFAULT_MAX_CLIENT_CONN,
      statementTimeoutMs: options.statementTimeoutMs,
    }),
    { mode: 0o600 },
  );
  if (ids) for (const path of [dir, authFile, iniFile]) chownSync(path, ids.uid, ids.gid);

  // detached: Ctrl-C must reach the runner only, which stops the servers before PgBouncer.
  const child: ChildProcess = spawn(bin, [iniFile], {
    ...ids,
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  trackChild(child, 'pgbouncer'); // a kill -9 of jobbench: the next jobbench stops it
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    removeDir();
  };
  const unregisterSync = onExitSync(killNow);
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `pgbouncer did not start within ${START_TIMEOUT_MS / 1000} s: ${log.trim().split('\n').slice(-3).join('\n')}`,
            ),
          ),
        START_TIMEOUT_MS,
      );
      const onData = (c: Buffer) => {
        log = (log + c.toString()).slice(-8000);
        if (log.includes('process up')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.once('error', (err) => (clearTimeout(timer), reject(err)));
      child.once(
        'exit',
        (code) => (
          clearTimeout(timer),
          reject(
            new Error(`pgbouncer exited with ${code} while starting: ${log.trim().split('\n').slice(-3).join('\n')}`),
          )
        ),
      );
    });
  } catch (err) {
    unregisterSync();
    killNow();
    throw err;
  }
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000))); // keep draining: a full pipe would block it

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      unregisterSync();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM'); // immediate shutdown: clients are gone by now
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      removeDir();
    })();
    return stopping;
  };
  const unregister = onShutdown('pgbouncer', stop);

  const url = new URL(options.databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/pgbouncer';
  return {
    url: url.toString(),
    adminUrl: adminUrl.toString(),
    port,
    version: versionParts ? versionParts.join('.') : versionText.trim().split('\n')[0]!,
    poolSize: options.poolSize,
    preparedStatements: supportsPreparedStatements(versionParts),
    connection: () => ({ databaseUrl: url.toString(), env: { ...TARGET_ENV } }),
    stop,
  };
}
