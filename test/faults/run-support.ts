import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readProcStat } from '../../bench/host/procfs.ts';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));

export interface JobbenchRun {
  pid: number;
  stderr: () => string;
  /** Resolves once stderr matches `re` (the run's progress lines), with the time it did. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `jobbench <args>` as a real child process; `env` is added to (or, with undefined, removed from) the test's. */
export function startJobbench(args: string[], env: Record<string, string | undefined>): JobbenchRun {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const w of [...waiters]) if (w.re.test(stderr)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    ms: number;
  }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return {
    pid: child.pid!,
    stderr: () => stderr,
    waitFor(re, timeoutMs = 120_000) {
      if (re.test(stderr)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${re} on stderr within ${timeoutMs} ms:\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(() => (clearTimeout(timer), reject(new Error(`exited before ${re}:\n${stderr}`))));
      });
    },
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/** Pids of the processes whose environment holds `marker` (e.g. DATABASE_URL=…:<port>/…): the run's children inherit it. */
export function processesWith(marker: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8');
      if ((readProcStat(name)?.state ?? 'Z') === 'Z') continue; // a zombie holds nothing
      if (environ.includes(marker))
        found.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Direct children of `pid` (from /proc/<child>/stat's ppid field) with their command lines. */
export function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readProcStat(name)?.ppid === pid)
        found.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Waits until no process carries `marker` (children may take a moment to be reaped), then returns what is left. */
export async function orphansAfter(marker: string, graceMs = 3_000): Promise<{ pid: number; cmdline: string }[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = processesWith(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
