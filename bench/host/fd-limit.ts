import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * The open-file limit (RLIMIT_NOFILE) decides how many sockets the load generator and the server can
 * hold, so a capacity search must know it. Node cannot call setrlimit itself; it does raise its own
 * soft limit to the hard limit at start-up, and children inherit whatever we have when they are
 * spawned. So: read the limit from /proc, raise the hard limit where allowed (root) with `prlimit
 * --pid <ours>`, and cap the search where the limit, not the server, would stop it.
 */

export interface FdLimit {
  soft: number; // Infinity for "unlimited"
  hard: number;
}

/**
 * Descriptors a process needs beyond its sockets to clients: stdio, the event loop, pipes to children,
 * loaded libraries, the pool's connections to PostgreSQL. Generous on purpose: running out mid-window
 * shows as connection errors that would be blamed on the server.
 */
export const FD_OVERHEAD = 256;

/** "Max open files  1024  524288  files" in /proc/<pid>/limits, as numbers. */
export function parseFdLimit(limitsText: string): FdLimit {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  if (!line) throw new Error('no "Max open files" line in the limits text');
  const [soft, hard] = line.replace('Max open files', '').trim().split(/\s+/);
  const num = (s: string | undefined) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: num(soft), hard: num(hard) };
}

export function readFdLimit(pid: number | 'self' = 'self'): FdLimit {
  return parseFdLimit(readFileSync(`/proc/${pid}/limits`, 'utf8'));
}

/** The most concurrent client connections one process (server or generator) can hold under `soft`. */
export function maxConnectionsForFds(soft: number, poolMax: number): number {
  if (!Number.isFinite(soft)) return Number.MAX_SAFE_INTEGER;
  return Math.max(0, soft - poolMax - FD_OVERHEAD);
}

/** Descriptors one process needs to hold `connections` client connections. */
export function fdsNeeded(connections: number, poolMax: number): number {
  return connections + poolMax + FD_OVERHEAD;
}

export interface FdReport {
  before: FdLimit;
  after: FdLimit;
  wanted: number; // descriptors the largest level needs
  raised: boolean;
  maxConnections: number; // what the limit allows, per process
  note: string; // one sentence for the report
}

function kernelFdMax(): number {
  try {
    return Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
  } catch {
    return 1_048_576; // the kernel's default nr_open
  }
}

/**
 * Makes room for `maxConnections` clients in this process and the children it will spawn: the soft
 * limit is raised to what is needed, up to the hard limit, and past the hard limit up to the kernel's
 * nr_open when running as root. Never lowers anything; never throws (a failure is in the note).
 */
export function ensureFdLimit(maxConnections: number, poolMax: number): FdReport {
  const before = readFdLimit();
  const wanted = fdsNeeded(maxConnections, poolMax);
  let after = before;
  let problem = '';
  if (before.soft < wanted) {
    const canPassHard = userInfo().uid === 0;
    const soft = Math.min(wanted, canPassHard ? Math.max(before.hard, kernelFdMax()) : before.hard);
    const hard = Math.max(before.hard, soft);
    if (soft > before.soft) {
      try {
        execFileSync(
          'prlimit',
          ['--pid', String(process.pid), `--nofile=${soft}:${Number.isFinite(hard) ? hard : 'unlimited'}`],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
      } catch (err) {
        problem = `prlimit failed (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message})`;
      }
      after = readFdLimit();
    }
  }
  const allowed = maxConnectionsForFds(after.soft, poolMax);
  const raised = after.soft > before.soft;
  const fmt = (n: number) => (Number.isFinite(n) ? String(n) : 'unlimited');
  let note: string;
  if (allowed >= maxConnections) {
    note = `open-file limit ${fmt(after.soft)}${raised ? ` (raised from ${fmt(before.soft)})` : ''}: room for ${maxConnections} connections`;
  } else {
    note =
      `open-file limit ${fmt(after.soft)} (hard ${fmt(after.hard)}${raised ? `, raised from ${fmt(before.soft)}` : ''}) allows about ${allowed} connections per process, ` +
      `fewer than --max-connections ${maxConnections}${problem ? `; ${problem}` : ''}: the search stops there, limited by the fd limit, not the server ` +
      `(raise it with \`ulimit -n ${wanted}\` or /etc/security/limits.conf and run again)`;
  }
  return { before, after, wanted, raised, maxConnections: allowed, note };
}
