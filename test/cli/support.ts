import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI child: this process' minus DATABASE_URL, plus `env`. */
export function childEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, JOBBENCH_LOG_LEVEL: 'warn', ...env };
}

/** Runs `node bin/jobbench.js ...args` to completion. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: childEnv(options.env),
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface LongRunning {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the first stdout line that parses as JSON (serve --json, db up --json). */
  firstJsonLine(): Promise<Record<string, unknown>>;
  /** Resolves once stderr contains `text`. */
  stderrContains(text: string): Promise<void>;
  /** Sends `signal` and resolves with the exit. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  exited: Promise<CliResult>;
}

/** Starts a long-running command (serve, db up); fails fast if it exits before what is awaited. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): LongRunning {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: childEnv(options.env),
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((fn) => fn());
  child.stdout!.on('data', (c: Buffer) => ((stdout += c.toString()), notify()));
  child.stderr!.on('data', (c: Buffer) => ((stderr += c.toString()), notify()));
  const exited = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => (resolve({ code, signal, stdout, stderr }), notify())),
  );
  const until = <T>(check: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const test = () => {
        const value = check();
        if (value !== undefined) {
          listeners.delete(test);
          resolve(value);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(test);
          reject(
            new Error(
              `jobbench ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${stderr}`,
            ),
          );
        }
      };
      listeners.add(test);
      test();
    });
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    firstJsonLine: () =>
      until(() => {
        for (const line of stdout.split('\n')) {
          if (line.startsWith('{')) return JSON.parse(line) as Record<string, unknown>;
        }
        return undefined;
      }, 'printing its JSON line'),
    stderrContains: (text) =>
      until(() => (stderr.includes(text) ? true : undefined), `printing "${text}"`).then(() => {}),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The URL with a password, so that tests can check it never shows (trust auth ignores it). */
export function withPassword(url: string, password = 'not-the-real-secret-9f2'): { url: string; password: string } {
  const u = new URL(url);
  if (u.password) return { url, password: decodeURIComponent(u.password) };
  u.password = password;
  return { url: u.toString(), password };
}
