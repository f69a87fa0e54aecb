import { processCpuUs, processRssBytes } from './samplers.ts';
import { processTreePids } from './targets/process-tree.ts';

/**
 * CPU and RSS of a target's whole process tree: `jobbench serve --workers N` (its primary and N
 * workers) or uvicorn with workers. A single process is a tree of one, so the numbers are unchanged
 * for it. RSS is summed over processes: pages shared between a primary and its forked workers count
 * once per process, an upper bound (Linux's PSS would split them, at the cost of reading smaps).
 */
export function processTreeCpuUs(rootPid: number): number {
  return sumOver(rootPid, processCpuUs);
}

export function processTreeRssBytes(rootPid: number): number {
  return sumOver(rootPid, processRssBytes);
}

function sumOver(rootPid: number, read: (pid: number) => number): number {
  const pids = processTreePids(rootPid);
  if (pids.length === 0) return read(rootPid); // gone: fail the way the single-process reader does
  let total = 0;
  for (const pid of pids) {
    try {
      total += read(pid);
    } catch {
      // a worker that exited between the listing and the read (and is being replaced)
    }
  }
  return total;
}
