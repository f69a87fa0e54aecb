/**
 * CPU placement (`--cpus server=0,generator=1,db=1`): sched affinity set with taskset(1) and read back from
 * /proc/<pid>/status (Cpus_allowed_list). The generator is pinned by pinning the harness itself: the load
 * tool's processes (autocannon's worker, wrk, k6) are its children and inherit the set at fork. The server
 * is re-pinned after it starts (every thread: taskset -a). PostgreSQL: the postmaster and every child
 * (backends forked later inherit it), only when the run owns the database (embedded) and it is local.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processTreePids, readProcStat } from './procfs.ts';
import type { CpuPlacement } from '../results/cpu.ts';

export const CPU_ROLES = ['server', 'generator', 'db'] as const;

/** "0-2,5" -> [0, 1, 2, 5]; throws on anything else. */
export function parseCpuList(list: string): number[] {
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`"${list}" is not a cpu list (e.g. 0, 1, 0-1, 0,2-3)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`"${part}" is a descending range`);
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** The CPUs a process may run on, as the kernel lists them ("0-1"). */
export function affinityOf(pid: number | 'self'): string {
  const m = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no Cpus_allowed_list in /proc/${pid}/status`);
  return m[1]!;
}

/**
 * `--cpus` text -> placement, refused (with the reason) when a role is unknown, a CPU is not one this
 * process may use, or server and generator overlap (pinning is there to separate them).
 */
export function parsePlacement(
  text: string,
  available: readonly number[] = parseCpuList(affinityOf('self')),
): CpuPlacement {
  const placement: CpuPlacement = {};
  for (const entry of text.split(/,(?=[a-z])/)) {
    const [role, list] = entry.split('=');
    if (!CPU_ROLES.includes(role as (typeof CPU_ROLES)[number]) || !list)
      throw new Error(`--cpus takes ${CPU_ROLES.map((r) => `${r}=LIST`).join(',')}, got "${entry}"`);
    const missing = parseCpuList(list).filter((c) => !available.includes(c));
    if (missing.length > 0)
      throw new Error(
        `--cpus ${role}=${list}: CPU ${missing.join(', ')} does not exist here (this machine lets jobbench use ${available.join(', ')})`,
      );
    placement[role as keyof CpuPlacement] = list;
  }
  if (placement.server && placement.generator) {
    const server = parseCpuList(placement.server);
    const shared = parseCpuList(placement.generator).filter((c) => server.includes(c));
    if (shared.length > 0)
      throw new Error(`--cpus: server and generator share CPU ${shared.join(', ')}; give them disjoint sets`);
  }
  return placement;
}

/** Pins every thread of `pid` (taskset -a -p -c); throws with taskset's message when it cannot. */
export function pinPid(pid: number, list: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Pins a process and its descendants; returns the pids pinned. Processes that exit meanwhile are skipped. */
export function pinTree(rootPid: number, list: string): number[] {
  const pinned: number[] = [];
  for (const pid of processTreePids(rootPid)) {
    try {
      pinPid(pid, list);
      pinned.push(pid);
    } catch (err) {
      if (pid === rootPid) throw err;
    }
  }
  return pinned;
}

/** The postmaster of a local backend: its parent process. */
export function postmasterOf(backendPid: number): number {
  const stat = readProcStat(backendPid);
  if (!stat) throw new Error(`no process ${backendPid} in /proc`);
  return stat.ppid;
}
