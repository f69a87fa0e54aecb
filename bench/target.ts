import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { AdapterName } from '../src/adapters/registry.ts';
import type { Side } from './results/types.ts';
import type { ScenarioName } from '../scenarios/catalog.ts';
import { HarnessError } from '../shared/harness-errors.ts';
import { freePort } from './free-port.ts';
import { onExitSync, onShutdown } from './lifecycle.ts';
import { targetWorkers } from './target-workers.ts';
import { trackChild } from './children.ts';
import { EXIT_WITH_STDIN_ENV } from './parent-watch.ts';

const BIN = fileURLToPath(new URL('../bin/jobbench.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000; // a cold start migrates and may wait for the database
const STOP_TIMEOUT_MS = 10_000; // graceful shutdown budget before SIGKILL
const WORKER_START_MS = 10_000; // extra start-up budget per worker process

/** What distinguishes one server under test from another (target kinds: bench/targets/kinds.ts). */
export interface TargetSpec {
  adapter: string; // the target's name: a Node adapter, a FastAPI target, or an external target's label
  poolMax: number;
  metrics: 'on' | 'off';
  via: 'direct' | 'pgbouncer';
  shed?: 'on' | 'off'; // run --shed on,off: serve --shed, or explicitly not (absent: the environment decides)
  workers?: number; // serve --workers N; default from bench/target-workers.ts (pg-sync: poolMax)
  // Gate runs only (bench/kinds/gate/): the revision this target measures, served by that checkout's
  // bin/jobbench.js (default: this one), and the pool max its servers really get when a gate flag
  // changes one side only (the cell keeps `poolMax`, so that both sides still match).
  side?: Side;
  root?: string;
  serverPoolMax?: number;
  kind?: 'node' | 'fastapi' | 'external'; // absent: node
  python?: string; // fastapi: the interpreter that imports its modules (bench/targets/python.ts)
  url?: string; // external: its base URL
  applicationName?: string; // external: whose backends pg_stat_activity counts (else all but the harness's)
  probeScenarios?: readonly ScenarioName[]; // check the contract on these scenarios' routes at first start
}

export interface Target {
  baseUrl: string;
  pid: number;
  /** How the server ended when it died on its own or was killed (e.g. "killed by SIGKILL"); null while it runs. */
  exited?(): string | null;
  stop(): Promise<void>;
}

/**
 * Starts a target of any kind (bench/targets/start.ts: FastAPI, external, the contract probe); a Node
 * adapter is `jobbench serve` started here.
 */
export async function startTarget(
  spec: TargetSpec,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Target> {
  const { startTargetOfKind } = await import('./targets/start.ts'); // lazily: start.ts imports this file's types
  return startTargetOfKind(spec, databaseUrl, extraEnv, () => startNodeTarget(spec, databaseUrl, extraEnv));
}

/**
 * Starts `jobbench serve` as a child process against `databaseUrl` (the API under test runs in its
 * own process, never in the runner's) and resolves once GET /ready answers 200.
 */
export async function startNodeTarget(
  spec: TargetSpec,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Target> {
  const port = await freePort();
  const args = [
    spec.root ? join(spec.root, 'bin', 'jobbench.js') : BIN,
    'serve',
    '--adapter',
    spec.adapter,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--pool-max',
    String(spec.serverPoolMax ?? spec.poolMax),
    '--metrics',
    spec.metrics,
    '--db',
    'external',
  ];
  const workers = targetWorkers(spec);
  if (workers > 1) args.push('--workers', String(workers));
  const child: ChildProcess = spawn(process.execPath, args, {
    // JOBBENCH_SHED, not --shed: "off" must also override a JOBBENCH_SHED=on the runner inherited
    env: {
      ...process.env,
      ...extraEnv,
      DATABASE_URL: databaseUrl,
      [EXIT_WITH_STDIN_ENV]: '1',
      ...(spec.shed === undefined ? {} : { JOBBENCH_SHED: spec.shed }),
    },
    // stdin: a pipe held open until this process dies, even by kill -9: then the server stops itself.
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true, // Ctrl-C reaches the runner only; the runner stops servers in order
  });
  child.stdin!.on('error', () => {}); // nothing is written: an EPIPE after the server died is no error
  trackChild(child, `jobbench serve --adapter ${spec.adapter}`); // and the next jobbench reaps it
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
  const unregister = onShutdown(`server ${spec.adapter}${spec.side ? ` (${spec.side})` : ''}`, stop);
  const baseUrl = `http://127.0.0.1:${port}`;
  // Each worker of `serve --workers N` starts its own Node, tsx and adapter: on a loaded 2-core machine
  // ten of them take tens of seconds.
  const readyBudgetMs = READY_TIMEOUT_MS + (workers > 1 ? workers * WORKER_START_MS : 0);
  const deadline = Date.now() + readyBudgetMs;
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
        `jobbench serve --adapter ${spec.adapter} was not ready within ${Math.round(readyBudgetMs / 1000)} s: ${stderr.trim().split('\n').slice(-5).join('\n')}`,
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
