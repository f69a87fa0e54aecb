/**
 * Cleanup on the way out: children, containers and the embedded database are registered here and
 * released in reverse order on normal exit, SIGINT and SIGTERM, so that Ctrl-C leaves nothing running.
 */
type Cleanup = () => Promise<void> | void;

const cleanups: { name: string; fn: Cleanup }[] = [];
const syncCleanups = new Set<() => void>();
let installed = false;
let shuttingDown = false;

/** Registers an async cleanup; returns a function that unregisters it (call it after a normal close). */
export function onShutdown(name: string, fn: Cleanup): () => void {
  install();
  const entry = { name, fn };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Registers a last-resort synchronous cleanup, run from process 'exit' (e.g. SIGQUIT a child). */
export function onExitSync(fn: () => void): () => void {
  install();
  syncCleanups.add(fn);
  return () => syncCleanups.delete(fn);
}

/** Runs every registered cleanup, newest first; errors are reported, not thrown. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const { name, fn } = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`cleanup "${name}" failed: ${(err as Error).message}\n`);
    }
  }
}

let received: NodeJS.Signals | undefined;
/** The documented exit code of an interrupted command: 143 after SIGTERM, else 130 (SIGINT, Ctrl-C). */
export function interruptedExitCode(): number {
  return received === 'SIGTERM' ? 143 : 130;
}

/** True once SIGINT/SIGTERM arrived: long loops check it to stop early. */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

const interruptListeners = new Set<() => void>();
/** Called on the first SIGINT/SIGTERM before cleanups run (e.g. the runner stops its load). */
export function onInterrupt(fn: () => void): () => void {
  install();
  interruptListeners.add(fn);
  return () => interruptListeners.delete(fn);
}

function install(): void {
  if (installed) return;
  installed = true;
  const handle = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      process.stderr.write(`\nreceived ${signal} again: exiting now\n`);
      process.exit(130);
    }
    shuttingDown = true;
    received = signal;
    process.stderr.write(`\nreceived ${signal}: stopping cleanly (press Ctrl-C again to force)\n`);
    const code = interruptedExitCode();
    if (interruptListeners.size === 0) {
      void runCleanups().finally(() => process.exit(code));
      return;
    }
    // The interrupted command stops its work, writes what it measured and returns; main then runs the
    // cleanups. If it has not finished in 20 s, release everything anyway.
    process.exitCode = code;
    for (const fn of interruptListeners) fn();
    setTimeout(() => void runCleanups().finally(() => process.exit(code)), 20_000).unref();
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  process.on('exit', () => {
    for (const fn of syncCleanups) {
      try {
        fn();
      } catch {
        // exiting anyway
      }
    }
  });
}
