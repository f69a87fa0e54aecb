import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onExitSync } from '../../host/lifecycle.ts';
import type { LoadRunner, LoadWindow, RunHooks, WindowMeasurement } from '../types.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** autocannon (closed model: N connections kept busy), in a forked process per window. */
export const autocannonRunner: LoadRunner = {
  tool: 'autocannon',
  run(window: LoadWindow, signal?: AbortSignal, hooks?: RunHooks): Promise<WindowMeasurement> {
    if (window.thinkTimeMs)
      return Promise.reject(
        new Error('autocannon has no think time (it sends the next request on each answer): use --tool k6'),
      );
    return new Promise((resolve, reject) => {
      const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const killOnExit = onExitSync(() => child.kill('SIGKILL')); // a forced exit leaves no worker behind
      child.once('exit', () => killOnExit());
      let settled = false;
      const onAbort = () => child.connected && child.send({ type: 'stop' });
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(new Error(`autocannon worker: ${err.message}`));
      });
      child.on('message', (msg: { type: string; measurement?: WindowMeasurement; message?: string }) => {
        if (msg.type === 'started') return hooks?.onStart?.();
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (msg.type === 'result') resolve(msg.measurement!);
        else reject(new Error(`autocannon: ${msg.message}`));
      });
      child.on('exit', (code) => {
        signal?.removeEventListener('abort', onAbort);
        if (!settled) reject(new Error(`autocannon worker exited with ${code} before reporting`));
      });
      child.send({ type: 'run', window });
    });
  },
};
