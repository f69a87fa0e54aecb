import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onExitSync } from '../../host/lifecycle.ts';
import type { LoadRunner, LoadWindow, RunHooks, WindowMeasurement } from '../types.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * The worker process between windows. Forking one (node, tsx, autocannon) took ~1.3 s, twice per window
 * (warm-up and measured load): 2.7 s of a gate window of 0.5 + 1.5 s. Kept, it is idle between windows
 * (no timer: it does not wake a core beside the server measured next) and does not keep the harness
 * alive: unreferenced while idle, it exits when the harness does (its IPC channel closes).
 */
let idle: ChildProcess | undefined;

function worker(): ChildProcess {
  const kept = idle;
  idle = undefined;
  if (kept && kept.connected && kept.exitCode === null) {
    kept.ref();
    kept.channel?.ref();
    return kept;
  }
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killOnExit = onExitSync(() => child.kill('SIGKILL')); // a forced exit leaves no worker behind
  child.once('exit', () => {
    killOnExit();
    if (idle === child) idle = undefined;
  });
  // Between runs no run listens: an error of the idle worker (a failed send or kill) only retires it.
  child.on('error', () => {
    if (idle === child) idle = undefined;
  });
  return child;
}

function keep(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
  if (idle && idle !== child) idle.kill();
  idle = child;
}

/** autocannon (closed model: N connections kept busy), in a forked process kept from window to window. */
export const autocannonRunner: LoadRunner = {
  tool: 'autocannon',
  run(window: LoadWindow, signal?: AbortSignal, hooks?: RunHooks): Promise<WindowMeasurement> {
    if (window.thinkTimeMs)
      return Promise.reject(
        new Error('autocannon has no think time (it sends the next request on each answer): use --tool k6'),
      );
    return new Promise((resolve, reject) => {
      const child = worker();
      let settled = false;
      const onAbort = () => child.connected && child.send({ type: 'stop' });
      signal?.addEventListener('abort', onAbort, { once: true });
      const onExit = (code: number | null) => {
        signal?.removeEventListener('abort', onAbort);
        if (!settled) reject(new Error(`autocannon worker exited with ${code} before reporting`));
      };
      // This run's listeners, removed by name when it settles: the kept worker carries none into the next run.
      const done = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        child.off('exit', onExit);
        child.off('error', onError);
        child.off('message', onMessage);
      };
      const onError = (err: Error) => {
        if (settled) return;
        done();
        child.kill();
        reject(new Error(`autocannon worker: ${err.message}`));
      };
      const onMessage = (msg: { type: string; measurement?: WindowMeasurement; message?: string }) => {
        if (msg.type === 'started') return hooks?.onStart?.();
        if (settled) return;
        done();
        if (msg.type === 'result') {
          keep(child);
          resolve(msg.measurement!);
        } else reject(new Error(`autocannon: ${msg.message}`)); // the worker exits after an error
      };
      child.on('error', onError);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ type: 'run', window });
    });
  },
};
