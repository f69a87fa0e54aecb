import type { ChildProcess } from 'node:child_process';
import { onExitSync } from './lifecycle.ts';

const KILL_AFTER_MS = 10_000; // after SIGINT a load tool gets this long to stop gracefully (k6, wrk: run done()), then SIGKILL

/**
 * Ties a load-tool child to the run: SIGINT when `signal` aborts (SIGKILL if it has not stopped 10 s
 * later), SIGKILL if the harness exits first. Call the returned release() once the child has closed.
 */
export function stopChildOnAbort(child: ChildProcess, signal: AbortSignal | undefined): () => void {
  const killOnExit = onExitSync(() => child.kill('SIGKILL'));
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    child.kill('SIGINT');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(killTimer);
    killOnExit();
    signal?.removeEventListener('abort', onAbort);
  };
}
