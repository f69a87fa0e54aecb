import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of every process, from /proc/<pid>/stat (Linux). Field 4, after the parenthesised name. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name can hold spaces and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited between readdir and read
    }
  }
  return parents;
}

/**
 * `rootPid` and all its descendants (uvicorn's supervisor and its workers, or multiprocessing's helpers),
 * root first; empty when the root is gone. For CPU and RSS of a whole target from /proc/<pid>/stat.
 */
export function processTreePids(rootPid: number): number[] {
  const parents = parentPids();
  if (!parents.has(rootPid)) return [];
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const todo = [rootPid];
  while (todo.length > 0) {
    const pid = todo.shift()!;
    tree.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return tree;
}
