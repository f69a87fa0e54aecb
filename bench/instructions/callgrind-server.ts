import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../host/free-port.ts';
import { spawnServer } from '../host/spawn-server.ts';
import { serveArgs } from '../targets/serve-args.ts';
import { findOnPath } from '../host/which.ts';

const run = promisify(execFile);

/** What the metric says when valgrind is missing (the rest of the gate runs). */
export const VALGRIND_INSTALL = 'apt-get install valgrind (Debian/Ubuntu; valgrind ≥ 3.19 with callgrind_control)';

/**
 * Node flags that make the count repeatable: GC and compilation on the main thread at points fixed by
 * the allocation sequence, not by wall time (without them one start in three came out 4% high, a GC or a
 * tier-up landing in the window); --perf-basic-prof names JIT code (perf-map.ts).
 */
export const NODE_COUNT_FLAGS = ['--single-threaded', '--predictable-gc-schedule', '--perf-basic-prof'] as const;

const READY_BUDGET_MS = 240_000; // tsx compiling the app under valgrind's ~50× slowdown: ~30 s idle, far more on a busy machine
const STOP_TIMEOUT_MS = 60_000;

export interface CountedServerSpec {
  root: string; // the checkout whose bin/jobbench.js serves
  adapter: string;
  poolMax: number;
  databaseUrl: string;
  env: Readonly<Record<string, string>>; // this side's extra environment (--head-env)
  name: string; // in messages
  /** Start and stop the server once without valgrind first (primeTsxCache): for a side's first start. */
  primeCache?: boolean;
}

/**
 * tsx compiles each source file once and keeps it in a disk cache; after a miss it writes the file and
 * sweeps its cache folder asynchronously. Under valgrind that work reached into the first start's
 * window when the sources had just changed (+1.3% on get-job, both sides; later starts agreed to 0.2%).
 * One plain start of the same command, stopped once ready, fills the cache: every counted start then hits it.
 */
export async function primeTsxCache(name: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string) {
  const plain = await spawnServer({
    name: `${name} (priming tsx's cache)`,
    command: process.execPath,
    args,
    env,
    readyUrl,
    readyBudgetMs: READY_BUDGET_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    stopTarget: 'process',
  });
  await plain.stop();
}

export interface CountedServer {
  baseUrl: string;
  pid: number; // valgrind runs node in its own process: the pid of both, and of /tmp/perf-<pid>.map
  /** Instrumentation on/off, zero, dump: callgrind_control through vgdb (ptrace). Resolves to the dump file for "dump". */
  control(command: 'on' | 'off' | 'zero'): Promise<void>;
  dump(): Promise<string>;
  perfMap(): Promise<string>;
  stop(): Promise<void>;
}

/** Whether valgrind and callgrind_control are on PATH: the metric is "n/a" without them. */
export function valgrindAvailable(pathEnv = process.env.PATH): boolean {
  return findOnPath('valgrind', pathEnv) !== undefined && findOnPath('callgrind_control', pathEnv) !== undefined;
}

/**
 * `jobbench serve` under callgrind with instrumentation off until control('on'), and with the counting
 * mode (JOBBENCH_COUNTING=on: no timer-driven work, whose count grows with valgrind's slowed wall time).
 * Metrics stay on: they are part of the request path being counted.
 */
export async function startCountedServer(spec: CountedServerSpec): Promise<CountedServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const serve = serveArgs({
    root: spec.root,
    adapter: spec.adapter,
    port,
    poolMax: spec.poolMax,
    metrics: 'on',
    logLevel: 'warn',
  });
  const env = { ...process.env, ...spec.env, DATABASE_URL: spec.databaseUrl };
  if (spec.primeCache) await primeTsxCache(spec.name, serve, env, `${baseUrl}/ready`);
  return startUnderCallgrind({ name: spec.name, nodeArgs: serve, env, baseUrl, readyPath: '/ready' });
}

export interface UnderCallgrindSpec {
  name: string; // in messages
  nodeArgs: readonly string[]; // after node's own counting flags (NODE_COUNT_FLAGS)
  cwd?: string;
  env: NodeJS.ProcessEnv; // JOBBENCH_COUNTING=on is added
  baseUrl: string; // where the server will listen
  readyPath: string; // answers 200 once it serves
}

/**
 * Any Node server under callgrind, instrumentation off until control('on'), in the counting mode
 * (JOBBENCH_COUNTING=on); resolves once it is ready. scripts/request-path-profile.ts counts other
 * servers than `jobbench serve` (plain Fastify) with it.
 */
export async function startUnderCallgrind(spec: UnderCallgrindSpec): Promise<CountedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'jobbench-callgrind-'));
  const outFile = join(dir, 'callgrind.out');
  const args = [
    '--tool=callgrind',
    '-q', // valgrind's own banner and summary would push the server's last words out of the error message
    '--instr-atstart=no',
    `--callgrind-out-file=${outFile}`,
    process.execPath,
    ...NODE_COUNT_FLAGS,
    ...spec.nodeArgs,
  ];
  let server;
  try {
    server = await spawnServer({
      name: `${spec.name} under callgrind`,
      command: 'valgrind',
      args,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      env: { ...spec.env, JOBBENCH_COUNTING: 'on' },
      readyUrl: `${spec.baseUrl}${spec.readyPath}`,
      readyBudgetMs: READY_BUDGET_MS,
      stopTimeoutMs: STOP_TIMEOUT_MS,
      stopTarget: 'process',
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const pid = server.pid;
  let dumps = 0;
  const callgrindControl = async (flag: string[]) => {
    const { stdout } = await run('callgrind_control', [...flag, String(pid)], { timeout: 60_000 });
    if (!/OK\./.test(stdout)) throw new Error(`callgrind_control ${flag.join(' ')} ${pid}: ${stdout.trim()}`);
  };
  return {
    baseUrl: spec.baseUrl,
    pid,
    control: (command) => callgrindControl(command === 'zero' ? ['-z'] : ['-i', command]),
    async dump() {
      await callgrindControl(['-d']);
      return `${outFile}.${++dumps}`;
    },
    perfMap: () => readFile(`/tmp/perf-${pid}.map`, 'utf8'),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(`/tmp/perf-${pid}.map`, { force: true });
    },
  };
}
