import { readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerGone, stillRunning, thisProcess, type ProcessId } from '../host/orphans.ts';

export const DATA_PREFIX = 'jobbench-pgdata-';
export const OWNER_FILE = 'jobbench-owner.pid'; // the pid of the jobbench process that owns a data dir
// Its start time, in a file of its own: older jobbench versions read OWNER_FILE as a bare pid, and one
// that found more in it would take the owner for dead and remove a live database.
const OWNER_START_FILE = 'jobbench-owner.start';

/** Marks `root` as this process's (pid, and start time against pid reuse). */
export function writeOwner(root: string): void {
  const me = thisProcess();
  writeFileSync(join(root, OWNER_FILE), String(me.pid));
  if (me.startTicks !== null) writeFileSync(join(root, OWNER_START_FILE), String(me.startTicks));
}

function readOwner(root: string): ProcessId {
  const pid = Number(readFileSync(join(root, OWNER_FILE), 'utf8'));
  let startTicks: number | null = null;
  try {
    startTicks = Number(readFileSync(join(root, OWNER_START_FILE), 'utf8'));
  } catch {
    // written by an older jobbench, or not yet
  }
  return { pid, startTicks };
}

/** Stops and removes embedded databases whose owning jobbench process died without cleaning up (kill -9). */
export function reapOrphans(): number {
  let reaped = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DATA_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: ProcessId;
    try {
      owner = readOwner(dir);
    } catch {
      continue; // still being created, or not ours
    }
    if (!ownerGone(owner)) continue;
    try {
      const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      // postgres works in its data directory: a reused pid elsewhere is not this server.
      const ours = readlinkSync(`/proc/${postmaster}/cwd`) === realpathSync(join(dir, 'data'));
      if (ours && stillRunning({ pid: postmaster, startTicks: null })) process.kill(postmaster, 'SIGQUIT');
    } catch {
      // no server was running
    }
    rmSync(dir, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}
