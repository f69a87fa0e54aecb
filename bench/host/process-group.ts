/**
 * Signals to a process group. Servers under test are started detached (their pid leads their group),
 * so that Ctrl-C reaches the harness only and a stop reaches every worker of the server.
 */

/** Sends `signal` to the group `pgid` leads; false when nobody is left in it (ESRCH). Signal 0 only probes. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL the group `pid` leads, or the process alone when it leads none (server-kill faults). */
export function killHard(pid: number): void {
  if (signalGroup(pid, 'SIGKILL')) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
