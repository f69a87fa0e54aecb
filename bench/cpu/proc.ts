/** CPU time of processes and of the whole machine, from Linux /proc (10 ms resolution: USER_HZ = 100). */
import { readFileSync } from 'node:fs';
import { processCpuUs } from '../samplers.ts';
import { processTreePids } from '../targets/process-tree.ts';

const CLOCK_TICKS_PER_S = 100; // USER_HZ, the unit of /proc/stat and /proc/<pid>/stat times

/** Busy CPU of the whole machine since boot in µs: all time but idle and iowait, summed over cores. */
export function machineBusyUs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!; // "cpu  user nice system idle iowait …"
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return ((total - ticks[3]! - ticks[4]!) * 1e6) / CLOCK_TICKS_PER_S;
}

/** CPU µs of each pid; pids that have exited are left out. */
export function cpuOfPids(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, processCpuUs(pid));
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU used between two readings: a pid seen only at the end started inside the window and counts whole. */
export function cpuDeltaUs(start: Map<number, number>, end: Map<number, number>): number {
  let sum = 0;
  for (const [pid, us] of end) sum += us - (start.get(pid) ?? 0);
  return sum;
}

/** A process tree's CPU per pid (the server and whatever it forked). */
export function treeCpu(rootPid: number): Map<number, number> {
  return cpuOfPids(processTreePids(rootPid));
}

/** The command name of a pid (/proc/<pid>/comm), or undefined when it is not visible from here. */
export function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
