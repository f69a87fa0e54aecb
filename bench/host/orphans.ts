import { isAlive, startTicksOf } from './procfs.ts';

/**
 * What a kill -9 of the harness leaves behind is found by the next jobbench: state written next to each
 * child names the jobbench process that owned it. Pids are reused, so a pid alone proves nothing: a
 * process is "the same" only if its start time (field 22 of /proc/<pid>/stat, in clock ticks since
 * boot) is the one recorded. Used for embedded databases (db/embedded-orphans.ts) and for every other
 * child (children.ts).
 */

export interface ProcessId {
  pid: number;
  startTicks: number | null; // null: not recorded (older state files) or unknown
}

export function thisProcess(): ProcessId {
  return { pid: process.pid, startTicks: startTicksOf(process.pid) };
}

/** True while the recorded process runs (same pid, same start time when one was recorded). */
export function stillRunning(p: ProcessId): boolean {
  if (p.startTicks === null) return isAlive(p.pid);
  return startTicksOf(p.pid) === p.startTicks;
}

/** The owner of some state is gone (dead, or its pid now belongs to another process): its leftovers may go. */
export function ownerGone(owner: ProcessId): boolean {
  return !stillRunning(owner);
}
