import { readFileSync } from 'node:fs';
import { isAlive } from './process-alive.ts';

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

/**
 * The fields of /proc/<pid>/stat after the command name, from field 3 (state) on: [0] state, [2] process
 * group, [19] start time. Null when there is no such process.
 */
export function procStatFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The start time of `pid` in clock ticks since boot, or null when there is no such process. */
export function startTicksOf(pid: number): number | null {
  const fields = procStatFields(pid);
  return fields === null ? null : Number(fields[19]);
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
