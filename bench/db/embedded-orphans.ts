import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../process-alive.ts';

export const DATA_PREFIX = 'jobbench-pgdata-';
export const OWNER_FILE = 'jobbench-owner.pid'; // the pid of the jobbench process that owns a data dir

/** Stops and removes embedded databases whose owning jobbench process died without cleaning up (kill -9). */
export function reapOrphans(): number {
  let reaped = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DATA_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // still being created, or not ours
    }
    if (isAlive(owner)) continue;
    try {
      const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (postmaster && isAlive(postmaster)) process.kill(postmaster, 'SIGQUIT');
    } catch {
      // no server was running
    }
    rmSync(dir, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}
