import { spawn } from 'node:child_process';
import { HarnessError } from '../../shared/harness-errors.ts';
import { trackChild } from './children.ts';
import { onExitSync, onShutdown } from './lifecycle.ts';
import { EXIT_WITH_STDIN_ENV } from './parent-watch.ts';
import { signalGroup } from './process-group.ts';
import { fetchOnce } from './fetch-once.ts';

const POLL_MS = 100; // between two readiness checks
const READY_REQUEST_TIMEOUT_MS = 2_000;
const GROUP_DRAIN_MS = 1_000; // after the leader exits, what is left of its group gets this long, then SIGKILL

export interface SpawnServerOptions {
  name: string; // in messages and the children registry: "jobbench serve --adapter pg-pool"
  command: string;
  args: readonly string[];
  cwd?: string;
  env: NodeJS.ProcessEnv; // the whole environment of the server (secrets here, never in args)
  readyUrl: string; // polled until it answers 200
  readyBudgetMs: number;
  stopTimeoutMs: number; // graceful stop budget before SIGKILL
  /** Who gets SIGTERM: the process (it stops its own workers, as `jobbench serve`), or its whole group (uvicorn). */
  stopTarget: 'process' | 'group';
}

export interface SpawnedServer {
  pid: number; // it leads its own process group (started detached)
  /** How it ended when it died on its own or was killed ("killed by SIGKILL"); null while it runs or once stop() was called. */
  exited(): string | null;
  stop(): Promise<void>;
}

/**
 * Starts a server under test as a detached child (its own process group: Ctrl-C reaches the harness
 * only) that stops itself when the harness dies, even by kill -9 (a pipe on its stdin, closed by the
 * kernel then: EXIT_WITH_STDIN_ENV), registered for cleanup and in the children registry (the next
 * jobbench reaps it), and resolves once `readyUrl` answers 200. When it exits first or is not ready in
 * time, it is stopped and JOBBENCH_CLI_ERR_SERVER_START says why, with the end of its stderr.
 */
export async function spawnServer(o: SpawnServerOptions): Promise<SpawnedServer> {
  const child = spawn(o.command, [...o.args], {
    ...(o.cwd ? { cwd: o.cwd } : {}),
    env: { ...o.env, [EXIT_WITH_STDIN_ENV]: '1' },
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
  });
  child.stdin!.on('error', () => {}); // nothing is written: an EPIPE after the server died is no error
  child.on('error', () => {}); // a failed spawn shows as an exit below; never an unhandled 'error'
  trackChild(child, o.name);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const tail = () => stderr.trim().split('\n').slice(-5).join('\n');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // A second Ctrl-C exits at once, without the async cleanups: the server must not outlive the harness.
  const unregisterSync = onExitSync(() => {
    if (!gone()) child.kill('SIGKILL');
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      const pgid = child.pid;
      if (!gone()) {
        const signal = (s: NodeJS.Signals) => (o.stopTarget === 'group' && pgid ? signalGroup(pgid, s) : child.kill(s));
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), o.stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      if (o.stopTarget === 'group' && pgid) {
        // Helpers (multiprocessing's resource tracker) exit once the leader has gone; a worker that
        // outlived a SIGKILLed leader must not keep the port or the pool.
        for (let t = 0; t < GROUP_DRAIN_MS && signalGroup(pgid, 0); t += 50)
          await new Promise((r) => setTimeout(r, 50));
        signalGroup(pgid, 'SIGKILL');
      }
      unregisterSync();
    })();
    return stopping;
  };
  const unregister = onShutdown(`server ${o.name}`, stop);
  const deadline = Date.now() + o.readyBudgetMs;
  for (;;) {
    if (gone() || child.pid === undefined) {
      await stop();
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_SERVER_START',
        `${o.name} exited with ${child.exitCode ?? child.signalCode ?? 'a failed spawn'}: ${tail()}`,
      );
    }
    try {
      const res = await fetchOnce(o.readyUrl, { signal: AbortSignal.timeout(READY_REQUEST_TIMEOUT_MS) });
      await res.body?.cancel();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_SERVER_START',
        `${o.name} was not ready within ${Math.round(o.readyBudgetMs / 1000)} s: ${tail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const how = () =>
    child.signalCode !== null
      ? `killed by ${child.signalCode}`
      : child.exitCode !== null
        ? `exited with ${child.exitCode}`
        : null;
  return { pid: child.pid, exited: () => (stopping ? null : how()), stop };
}
