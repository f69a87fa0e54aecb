/**
 * The harness's one reader of Linux /proc: a process's stat (CPU, threads, parent, group, start time),
 * its RSS, its tree of descendants, and the machine's busy time. Every consumer imports from here: one
 * /proc/<pid>/stat parser, one clock-tick unit.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Clock ticks per second of the times in /proc/stat and /proc/<pid>/stat: USER_HZ, which the Linux ABI
 * fixes at 100 on every architecture Node runs on (test/host/procfs.test.ts checks `getconf CLK_TCK`).
 */
export const CLOCK_TICKS_PER_S = 100;

/** The fields of /proc/<pid>/stat the harness reads; proc(5)'s field numbers in the comments. */
export interface ProcStat {
  pid: number; // (1)
  comm: string; // (2) the command name, without its parentheses (at most 15 characters)
  state: string; // (3) R running, S sleeping, Z zombie, …
  ppid: number; // (4)
  pgrp: number; // (5) process group
  cpuUs: number; // (14) utime + (15) stime, in µs: 10 ms resolution
  reapedChildrenCpuUs: number; // (16) cutime + (17) cstime: children that exited and were waited for
  threads: number; // (20) num_threads
  startTicks: number; // (22) start time, clock ticks since boot: with the pid, names a process (pids are reused)
}

/**
 * One /proc/<pid>/stat line -> its fields. The command name may hold spaces and parentheses: the fields
 * after it are counted from its last ')'. Pure; throws on a line that is not one.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 1 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  const after = line
    .slice(close + 2)
    .trim()
    .split(' '); // after[0] is field 3
  const field = (n: number) => Number(after[n - 3]);
  const stat: ProcStat = {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    state: after[0] ?? '',
    ppid: field(4),
    pgrp: field(5),
    cpuUs: ((field(14) + field(15)) * 1e6) / CLOCK_TICKS_PER_S,
    reapedChildrenCpuUs: ((field(16) + field(17)) * 1e6) / CLOCK_TICKS_PER_S,
    threads: field(20),
    startTicks: field(22),
  };
  if (!Number.isInteger(stat.pid) || !Number.isFinite(stat.cpuUs) || !Number.isFinite(stat.startTicks))
    throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  return stat;
}

/** /proc/<pid>/stat of a process, or null when there is no such process (it exited, or this is not Linux). */
export function readProcStat(pid: number | string): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** user + system CPU of a process (all its threads) in µs; null when it is gone. */
export function processCpuUs(pid: number): number | null {
  return readProcStat(pid)?.cpuUs ?? null;
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status); null when it is gone. */
export function processRssBytes(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0; // a zombie or a kernel thread has no VmRSS line
  } catch {
    return null;
  }
}

/** The start time of `pid` in clock ticks since boot, or null when there is no such process. */
export function startTicksOf(pid: number): number | null {
  return readProcStat(pid)?.startTicks ?? null;
}

/** The command name of a pid (/proc/<pid>/stat's comm), or undefined when it is not visible from here. */
export function commOf(pid: number): string | undefined {
  return readProcStat(pid)?.comm;
}

/** True when a process with this pid exists (signal 0 probes without sending anything); EPERM: alive, another user's. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The stat of every process visible here; a process that exits while /proc is read is left out. */
export function allProcStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(entry);
    if (stat) stats.push(stat);
  }
  return stats;
}

/**
 * `rootPid` and all its descendants (uvicorn's supervisor and its workers, `jobbench serve --workers N`),
 * root first, each as read in one pass over /proc; empty when the root is gone.
 */
export function processTree(rootPid: number): ProcStat[] {
  const all = allProcStats();
  const root = all.find((s) => s.pid === rootPid);
  if (!root) return [];
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const tree: ProcStat[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const s = todo.shift()!;
    tree.push(s);
    todo.push(...(children.get(s.pid) ?? []));
  }
  return tree;
}

export function processTreePids(rootPid: number): number[] {
  return processTree(rootPid).map((s) => s.pid);
}

/** CPU µs of each pid; pids that have exited are left out. */
export function cpuOfPids(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const us = processCpuUs(pid);
    if (us !== null) out.set(pid, us);
  }
  return out;
}

/** CPU used between two readings: a pid seen only at the end started inside the window and counts whole. */
export function cpuDeltaUs(start: ReadonlyMap<number, number>, end: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const [pid, us] of end) sum += us - (start.get(pid) ?? 0);
  return sum;
}

/** Busy CPU of the whole machine since boot in µs: all time but idle and iowait, summed over cores. */
export function machineBusyUs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!; // "cpu  user nice system idle iowait …"
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return ((total - ticks[3]! - ticks[4]!) * 1e6) / CLOCK_TICKS_PER_S;
}

/**
 * The machine's CPU since boot in µs, summed over cores, from the first line of /proc/stat: what
 * processes ran (user + nice + system: interrupts and softirq are left out, they are mostly the run's
 * own loopback traffic and no process is charged for them) and what the hypervisor gave to other
 * machines (steal).
 */
export function machineCpuUs(): { processesUs: number; stealUs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!; // "cpu  user nice system idle iowait irq softirq steal …"
  const t = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const us = (ticks: number) => (ticks * 1e6) / CLOCK_TICKS_PER_S;
  return { processesUs: us(t[0]! + t[1]! + t[2]!), stealUs: us(t[7] ?? 0) };
}

/**
 * CPU µs of every process in the trees rooted at `roots` (each pid once), its reaped children's
 * included: a process of the tree that exits between two readings moves its CPU into its parent's.
 * The CPU used between two readings is then Σ end − Σ start over the pids of each (ownCpuBetween).
 */
export function cpuOfTrees(roots: readonly number[]): Map<number, number> {
  const all = allProcStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out = new Map<number, number>();
  const todo = all.filter((s) => roots.includes(s.pid));
  while (todo.length > 0) {
    const s = todo.pop()!;
    if (out.has(s.pid)) continue;
    out.set(s.pid, s.cpuUs + s.reapedChildrenCpuUs);
    todo.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** CPU used by a set of process trees between two cpuOfTrees readings (exited and new processes included). */
export function ownCpuBetween(start: ReadonlyMap<number, number>, end: ReadonlyMap<number, number>): number {
  const sum = (m: ReadonlyMap<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return Math.max(0, sum(end) - sum(start));
}
