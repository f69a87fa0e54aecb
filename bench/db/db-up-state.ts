import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../results/write-file-atomic.ts';
import { isAlive } from '../host/procfs.ts';

/**
 * `jobbench db up` (embedded or docker) keeps its database running in the foreground and leaves this
 * file behind so that `jobbench serve` in another terminal reuses that database instead of starting
 * its own. The file holds the password, hence mode 0600 in a 0700 folder; it is removed on exit.
 */
export const DB_UP_STATE_FILE = join('.jobbench', 'db-up.json');

export interface DbUpState {
  url: string; // with the password: redact before showing it
  pid: number; // the `db up` process; the state is stale once it is gone
  kind: 'embedded' | 'docker';
  jobs: number;
  seed: number;
  startedAt: string;
}

function statePath(cwd: string): string {
  return resolve(cwd, DB_UP_STATE_FILE);
}

export async function writeDbUpState(state: DbUpState, cwd = process.cwd()): Promise<string> {
  const path = statePath(cwd);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  return path;
}

/** The state of a `db up` that is still running, or null (no file, unreadable, or its process is gone). */
export function readDbUpState(cwd = process.cwd()): DbUpState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(statePath(cwd), 'utf8'));
  } catch {
    return null;
  }
  const s = raw as Partial<DbUpState>;
  if (
    typeof s?.url !== 'string' ||
    !/^postgres(ql)?:\/\//.test(s.url) ||
    !Number.isInteger(s.pid) ||
    (s.pid as number) <= 0
  )
    return null;
  if (!isAlive(s.pid as number)) return null;
  return s as DbUpState;
}

/** Removes the state file if it belongs to `pid` (another `db up` may have replaced it). */
export function removeDbUpState(pid = process.pid, cwd = process.cwd()): void {
  const path = statePath(cwd);
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Partial<DbUpState>;
    if (s.pid !== pid) return;
  } catch {
    // unreadable: ours to clean only if it is ours, and we cannot tell; leave it
    return;
  }
  rmSync(path, { force: true });
}
