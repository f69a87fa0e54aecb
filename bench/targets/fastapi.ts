import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../free-port.ts';
import { trackChild } from '../children.ts';
import { onShutdown } from '../lifecycle.ts';
import { EXIT_WITH_STDIN_ENV } from '../parent-watch.ts';
import type { Target } from '../target.ts';
import { FASTAPI_TARGETS, type FastapiTargetName } from './fastapi-targets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)); // `-m targets.fastapi` resolves from here
const READY_TIMEOUT_MS = 60_000; // as bench/target.ts: a cold start may wait for the database
const STOP_TIMEOUT_MS = 10_000; // graceful shutdown budget before SIGKILL of the whole group

export interface FastapiTargetSpec {
  name: FastapiTargetName;
  /** Interpreter that imports the target's modules (findPython in bench/targets/python.ts). */
  python: string;
  /** Connections per uvicorn worker: pool_size, no overflow. */
  poolMax: number;
  /** uvicorn worker processes (default 1); each has its own pool, so workers × poolMax connections. */
  workers?: number;
  metrics?: 'on' | 'off';
  /** Thread pool of the sync target (default 40, anyio's). */
  threads?: number;
}

/** The command line: no secret in it (DATABASE_URL goes in the environment, never in /proc/<pid>/cmdline). */
export function fastapiArgs(spec: FastapiTargetSpec, port: number): string[] {
  return [
    '-m',
    'targets.fastapi',
    '--driver',
    FASTAPI_TARGETS[spec.name].driver,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--pool-max',
    String(spec.poolMax),
    '--workers',
    String(spec.workers ?? 1),
    '--metrics',
    spec.metrics ?? 'on',
    ...(spec.threads === undefined ? [] : ['--threads', String(spec.threads)]),
  ];
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

/**
 * Starts a FastAPI target under uvicorn as a child process in its own process group, against
 * `databaseUrl`, and resolves once GET /ready answers 200. stop() sends SIGTERM to the whole group
 * (uvicorn's supervisor and workers), then SIGKILL to whatever is left after STOP_TIMEOUT_MS.
 */
export async function startFastapiTarget(
  spec: FastapiTargetSpec,
  databaseUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> {
  const port = await freePort();
  const child = spawn(spec.python, fastapiArgs(spec, port), {
    cwd: ROOT,
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      [EXIT_WITH_STDIN_ENV]: '1',
    },
    // stdin: a pipe held open until this process dies, even by kill -9: then the wrapper stops its group.
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true, // its own group: Ctrl-C reaches the runner only, and stop() can signal every worker
  });
  child.stdin!.on('error', () => {}); // nothing is written: an EPIPE after it died is no error
  trackChild(child, `uvicorn ${spec.name}`); // and the next jobbench reaps its group
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await spawned;
  const pgid = child.pid!;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      signalGroup(pgid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      // Helpers (multiprocessing's resource tracker) exit once the supervisor has gone; a worker that
      // outlived a SIGKILLed supervisor must not keep the port or the pool: give them 1 s, then SIGKILL.
      for (let i = 0; i < 20 && signalGroup(pgid, 0); i += 1) await new Promise((r) => setTimeout(r, 50));
      signalGroup(pgid, 'SIGKILL');
    })();
    return stopping;
  };
  const unregister = onShutdown(`server ${spec.name}`, stop);
  const baseUrl = `http://127.0.0.1:${port}`;
  const tail = () => stderr.trim().split('\n').slice(-5).join('\n');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `${spec.name} (${spec.python} -m targets.fastapi) exited with ${child.exitCode ?? child.signalCode}: ${tail()}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} was not ready within ${READY_TIMEOUT_MS / 1000} s: ${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, pid: pgid, stop };
}
