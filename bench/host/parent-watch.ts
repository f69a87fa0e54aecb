/**
 * A child that jobbench starts and wrote itself (`jobbench serve`) must not outlive a `kill -9` of
 * jobbench, which no handler can see. jobbench keeps a pipe open on the child's stdin and sets this
 * variable; when jobbench dies, for any reason, the kernel closes the pipe and the child stops. Opt-in,
 * so that `jobbench serve` started by a user (stdin a terminal, or /dev/null under nohup) is unaffected.
 * The FastAPI wrapper does the same in Python (targets/fastapi/__main__.py).
 */
export const EXIT_WITH_STDIN_ENV = 'JOBBENCH_EXIT_WITH_STDIN';

const FORCE_EXIT_MS = 10_000; // graceful stop budget before the process exits anyway (as target.ts STOP_TIMEOUT_MS)

/** Calls `stop` once stdin ends (its writer died), then exits after FORCE_EXIT_MS if still running. */
export function exitWithStdin(stop: () => void): void {
  const stdin = process.stdin;
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    stop();
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
  };
  stdin.on('data', () => {}); // nobody writes; reading is what notices the end
  stdin.once('end', end);
  stdin.once('close', end);
  stdin.once('error', end);
  // Never what keeps the process alive: after a normal stop it exits as it would without the watch.
  (stdin as NodeJS.ReadStream & { unref?: () => void }).unref?.();
}
