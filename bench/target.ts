import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AdapterName } from '../src/adapters/registry.ts';
import { HarnessError } from '../shared/harness-errors.ts';
import { freePort } from './db/embedded.ts';
import { onExitSync, onShutdown } from './lifecycle.ts';

const BIN = fileURLToPath(new URL('../bin/jobbench.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000; // a cold start migrates and may wait for the database
const STOP_TIMEOUT_MS = 10_000; // graceful shutdown budget before SIGKILL

/** What distinguishes one server under test from another. */
export interface TargetSpec {
  adapter: AdapterName;
  poolMax: number;
  metrics: 'on' | 'off';
  via: 'direct' | 'pgbouncer';
}

export interface Target {
  baseUrl: string;
  pid: number;
  /** How the server ended when it died on its own or was killed (e.g. "killed by SIGKILL"); null while it runs. */
  exited?(): string | null;
  stop(): Promise<void>;
}

/**
 * Starts `jobbench serve` as a child process against `databaseUrl` (the API under test runs in its
 * own process, never in the runner's) and resolves once GET /ready answers 200.
 */
export async function startTarget(
  spec: TargetSpec,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Target> {
  const port = await freePort();
  const args = [
    BIN,
    'serve',
    '--adapter',
    spec.adapter,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--pool-max',
    String(spec.poolMax),
    '--metrics',
    spec.metrics,
    '--db',
    'external',
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // Ctrl-C reaches the runner only; the runner stops servers in order
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.on('error', () => {}); // a failed spawn shows as an exit code below; never an unhandled 'error'
  // A second Ctrl-C exits at once, without the async cleanups: the server must not outlive the runner.
  const unregisterSync = onExitSync(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      if (child.exitCode !== null || child.signalCode !== null) return void unregisterSync();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      unregisterSync();
    })();
    return stopping;
  };
  const unregister = onShutdown(`server ${spec.adapter}`, stop);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_SERVER_START',
        `jobbench serve --adapter ${spec.adapter} exited with ${child.exitCode}: ${stderr.trim().split('\n').slice(-5).join('\n')}`,
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
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_SERVER_START',
        `jobbench serve --adapter ${spec.adapter} was not ready within ${READY_TIMEOUT_MS / 1000} s: ${stderr.trim().split('\n').slice(-5).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exitedHow = () =>
    child.signalCode !== null
      ? `killed by ${child.signalCode}`
      : child.exitCode !== null
        ? `exited with ${child.exitCode}`
        : null;
  return { baseUrl, pid: child.pid!, exited: () => (stopping ? null : exitedHow()), stop };
}
