import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../host/free-port.ts';
import { onExitSync, onShutdown } from '../host/lifecycle.ts';
import { findTool } from '../host/tool-bin.ts';
import { createToxiproxyClient, type ToxiproxyClient } from './toxiproxy.ts';
import { trackChild } from '../host/children.ts';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000; // it exits on SIGTERM at once; SIGKILL after this
const POLL_INTERVAL_MS = 50;
const START_ATTEMPTS = 3; // freePort() can race another process for the port: try a fresh one
const LOG_TAIL_CHARS = 8_000;

export interface ToxiproxyServerOptions {
  /** The toxiproxy-server binary; default: findTool('toxiproxy', env). */
  bin?: string;
  /** For the tool lookup (TOXIPROXY_BIN, PATH); passed in: only the configuration reader reads process.env. Default {}: only <repo>/.bin. */
  env?: NodeJS.ProcessEnv;
  /** Seeds the randomness of toxics (jitter, toxicity) so that a run can be repeated. */
  seed?: number;
}

export interface ToxiproxyServer {
  apiUrl: string; // "http://127.0.0.1:PORT"
  port: number;
  pid: number;
  version: string; // what GET /version answers ("2.5.0")
  client: ToxiproxyClient;
  /** False once the child has exited (stopped, or died on its own: its proxies are then gone). */
  running(): boolean;
  /** The last lines the server logged (JSON lines from zerolog), for error messages. */
  logTail(): string;
  /** Stops the server (SIGTERM, then SIGKILL); every proxy and connection through it goes with it. */
  stop(): Promise<void>;
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Starts toxiproxy-server with its API on a free port of 127.0.0.1 and waits until the API answers.
 * Stopped by stop(), on normal exit, on error and on Ctrl-C (registered with bench/host/lifecycle.ts).
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const bin = options.bin ?? findTool('toxiproxy', options.env ?? {});
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(bin, await freePort(), options.seed);
    } catch (err) {
      lastError = err as Error;
      if (!/exited/.test(lastError.message)) break; // only an early exit (port taken) is worth a retry
    }
  }
  throw lastError!;
}

async function startOnce(bin: string, port: number, seed: number | undefined): Promise<ToxiproxyServer> {
  const args = ['-host', '127.0.0.1', '-port', String(port)];
  if (seed !== undefined) args.push('-seed', String(seed));
  // detached: Ctrl-C must reach the runner only, which takes the servers down before their proxy.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child, 'toxiproxy-server'); // a kill -9 of jobbench: the next jobbench stops it
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS)); // keep draining: a full pipe would block it
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const tail = () => log.trim().split('\n').slice(-3).join('\n');
  const killNow = () => {
    if (isRunning(child)) child.kill('SIGKILL');
  };
  const unregisterSync = onExitSync(killNow);

  const apiUrl = `http://127.0.0.1:${port}`;
  const client = createToxiproxyClient(apiUrl);
  let version: string;
  try {
    version = await waitForApi(child, client, tail);
  } catch (err) {
    unregisterSync();
    killNow();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      if (isRunning(child)) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(killNow, STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      unregisterSync();
    })();
    return stopping;
  };
  const unregister = onShutdown('toxiproxy-server', stop);
  return { apiUrl, port, pid: child.pid!, version, client, running: () => isRunning(child), logTail: () => log, stop };
}

/** Polls GET /version until it answers; rejects when the child exits or fails to spawn first. */
function waitForApi(child: ChildProcess, client: ToxiproxyClient, tail: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      child.off('exit', onExit);
      fn();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      settle(() => reject(new Error(`toxiproxy-server exited (${signal ?? code}) while starting: ${tail()}`)));
    child.once('exit', onExit);
    child.once('error', (err) =>
      settle(() => reject(new Error(`toxiproxy-server could not be started: ${err.message}`))),
    );
    const deadline = setTimeout(
      () =>
        settle(() =>
          reject(new Error(`toxiproxy-server did not answer within ${START_TIMEOUT_MS / 1000} s: ${tail()}`)),
        ),
      START_TIMEOUT_MS,
    );
    const poll = () => {
      if (settled) return;
      client.version().then(
        (version) => settle(() => resolve(version)),
        () => setTimeout(poll, POLL_INTERVAL_MS), // not listening yet
      );
    };
    poll();
  });
}
