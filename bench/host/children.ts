import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExitSync } from './lifecycle.ts';
import { ownerGone, stillRunning, thisProcess, type ProcessId } from './orphans.ts';
import { allProcStats, startTicksOf } from './procfs.ts';

/**
 * SIGKILL cannot be caught: a `kill -9` of jobbench leaves its detached children running. Those that
 * jobbench wrote watch their stdin instead (serve, the FastAPI wrapper); the foreign binaries
 * (pgbouncer, toxiproxy-server, wrk, k6) are listed here as they start, in
 * <tmp>/jobbench-children/<jobbench pid>.json, and the next jobbench reaps what a dead one left.
 * The system temp folder rather than the run's folder: the next jobbench may start anywhere (as the
 * embedded databases' data directories, db/embedded-orphans.ts).
 */

export const CHILDREN_DIR = join(tmpdir(), 'jobbench-children');

interface ChildEntry extends ProcessId {
  name: string; // what it is, for the message of the jobbench that reaps it
}
interface ChildrenFile {
  owner: ProcessId;
  children: ChildEntry[];
}

const tracked = new Map<number, ChildEntry>();
let owner: ProcessId | undefined;
let fileRemoval: (() => void) | undefined;
const filePath = () => join(CHILDREN_DIR, `${process.pid}.json`);

function save(): void {
  try {
    if (tracked.size === 0) return rmSync(filePath(), { force: true });
    mkdirSync(CHILDREN_DIR, { recursive: true, mode: 0o700 });
    const body: ChildrenFile = { owner: (owner ??= thisProcess()), children: [...tracked.values()] };
    const tmp = `${filePath()}.tmp`;
    writeFileSync(tmp, JSON.stringify(body) + '\n');
    renameSync(tmp, filePath()); // a reader never sees half a file
  } catch {
    // best effort: a read-only temp folder must not fail a run
  }
}

/**
 * Lists a child started in its own process group (spawn's `detached: true`) until it exits: if this
 * process dies without stopping it, the next jobbench kills its group. Call right after spawn().
 */
export function trackChild(child: ChildProcess, name: string): void {
  fileRemoval ??= onExitSync(() => rmSync(filePath(), { force: true })); // the exit hooks stop every child
  child.once('spawn', () => {
    const pid = child.pid!;
    tracked.set(pid, { pid, startTicks: startTicksOf(pid), name });
    save();
  });
  child.once('exit', () => {
    if (child.pid !== undefined && tracked.delete(child.pid)) save();
  });
}

/** True if a process of group `pgid` is running (not a zombie): /proc/<pid>/stat, state and pgrp. */
function hasLiveMember(pgid: number): boolean {
  try {
    return allProcStats().some((s) => s.pgrp === pgid && s.state !== 'Z');
  } catch {
    return true; // no /proc to read: try the kill, as before
  }
}

function killGroup(child: ChildEntry): boolean {
  // The leader's pid has been reused by another process: its group is not ours, leave it.
  if (startTicksOf(child.pid) !== null && !stillRunning(child)) return false;
  // Only zombies left (exited, not yet reaped by their new parent): nothing to stop.
  if (!hasLiveMember(child.pid)) return false;
  try {
    // A group id is not reused while any member lives: with the leader gone, what is left is ours.
    process.kill(-child.pid, 'SIGKILL');
    return true;
  } catch {
    return false; // nobody left in the group
  }
}

/**
 * Kills the children of jobbench processes that died without stopping them; returns what it killed.
 * `dir`: another registry folder (tests, so that a jobbench of a parallel test does not reap theirs).
 */
export function reapChildren(dir: string = CHILDREN_DIR): string[] {
  const killed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return killed; // no folder: nothing was ever left
  }
  for (const name of names) {
    const path = join(dir, name);
    let file: ChildrenFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as ChildrenFile;
    } catch {
      continue; // being written (the rename makes this rare), or not ours
    }
    if (!ownerGone(file.owner)) continue;
    for (const child of file.children)
      if (killGroup(child)) killed.push(`${child.name} (pid ${child.pid}, of jobbench pid ${file.owner.pid})`);
    rmSync(path, { force: true });
  }
  return killed;
}
