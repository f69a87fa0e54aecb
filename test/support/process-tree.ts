import { readdirSync, readFileSync } from 'node:fs';
import { readProcStat } from '../../bench/host/procfs.ts';

// The descendants of a process, read from /proc (Linux): for tests that check what a run starts
// (command lines) and that it leaves nothing behind.

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string; // arguments joined with spaces
}

function read(pid: number): ProcessInfo | undefined {
  try {
    const ppid = readProcStat(pid)?.ppid;
    if (ppid === undefined) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid, cmdline };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every process alive now whose ancestry leads to `root` (root excluded). */
export function descendants(root: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => read(Number(d)))
    .filter((p): p is ProcessInfo => p !== undefined);
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcessInfo[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      out.push(child);
      stack.push(child.pid);
    }
  }
  return out;
}

/** This process's own children whose command line holds `needle` (e.g. the bare server's `node -e` source). */
export function childrenWith(needle: string): number[] {
  return descendants(process.pid)
    .filter((p) => p.ppid === process.pid && p.cmdline.includes(needle))
    .map((p) => p.pid);
}

/** True if `pid` is alive and is not a zombie. */
export function alive(pid: number): boolean {
  const state = readProcStat(pid)?.state;
  return state !== undefined && state !== 'Z';
}

/**
 * Samples the descendants of `root` every `everyMs` until stopped; remembers every pid it saw and every
 * command line each had (a fork shows its parent's until it execs).
 */
export function watchDescendants(root: number, everyMs = 50): { seen: Map<number, Set<string>>; stop(): void } {
  const seen = new Map<number, Set<string>>();
  const sample = () => {
    for (const p of descendants(root)) seen.set(p.pid, (seen.get(p.pid) ?? new Set()).add(p.cmdline));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return { seen, stop: () => (clearInterval(timer), sample()) };
}
