/**
 * The wrk load runner (tool "wrk"): Debian's wrk 4.1 (C, epoll, one event loop per thread), closed model
 * (`-c connections -t threads -d duration --timeout`), driven by a Lua script generated from the scenario
 * catalog (wrk-requests.ts, wrk-lua.ts). Its exact µs latency counts, with wrk's coordinated-omission
 * correction undone (wrk-parse.ts), go into the project's HDR histogram.
 *
 * Status codes: wrk only counts responses over 399 unless the script has a response() callback, which
 * makes wrk parse every header and copy every body into Lua (src/wrk.c response_complete). Measured on
 * /health, 32 connections, 2 threads (scripts/generator-cost.ts): +30% CPU per request on a shared 2-core
 * machine at 3 s × 3 rounds; +4.7% (95% CI +0.6…+11.0%) on a quiet one at 10 s × 10 rounds, interleaved;
 * throughput differences within the machine's noise both times. Off by default, so statusCodes holds `<400` / `>399`
 * counts; `statusCodes: true` turns it on. A window that asks for a timeline (a fault is scheduled) gets
 * a response() callback that also reads the clock per response (wrk-lua.ts, wrk-timeline.ts); only then.
 *
 * No admitted-latency histogram: response() gets a status but no response time, and nothing that ties
 * it to its connection's request (several connections per thread), so a time cannot be split by status.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadRunner, LoadWindow, RunHooks, WindowMeasurement } from '../types.ts';
import { wrkTimeline } from './timeline.ts';
import { wrkScript } from './lua.ts';
import { parseWrkExport, wrkMeasurement } from './parse.ts';
import { runWrkProcess } from './process.ts';
import { buildRequestList } from './requests.ts';
import { findBinary } from '../../host/which.ts';

export const WRK_MISSING_HELP = 'wrk not found (set WRK_BIN or put wrk on PATH). On Debian: apt-get install -y wrk';

export class WrkRunError extends Error {
  override name = 'WrkRunError';
}

export interface WrkRunnerOptions {
  bin?: string; // default: $WRK_BIN, then wrk on PATH
  env?: NodeJS.ProcessEnv; // where WRK_BIN and PATH are read; default process.env
  threads?: number; // default: see wrkThreads
  /** One thread per core, not per two: the HTTP ceiling, where wrk and a bare server are all there is. */
  allCores?: boolean;
  statusCodes?: boolean; // per-code counts through response(): costs throughput (above)
  requestListLength?: number; // default WRK_REQUEST_LIST_LENGTH
}

/** The wrk binary, or undefined when there is none. */
export function findWrk(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findBinary('wrk', env.WRK_BIN, env.PATH);
}

/**
 * The cores wrk's threads may take in a measured window: half the machine's, at least one. The server,
 * its database and the harness share the machine with it, and each thread wrk does not need takes CPU
 * from them: on the 2-core machine, one thread served /health 1.044× (95% CI 1.005–1.085, n = 12) the
 * req/s of two under plain wrk, and in a second run 1.02× (two ÷ one 0.982×, 0.928–1.039): never less
 * (docs/readme/performance.md, "The harness's weight on /health, measured toggles"). The half is a
 * rule, measured on 2 cores only.
 */
export function wrkCores(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
}

/**
 * Threads: at most `wrkCores` (or every core, for a ceiling), at most one per connection, and a divisor
 * of the connections: wrk gives each thread connections / threads (integer division), so 5 connections
 * on 2 threads would open only 4.
 */
export function wrkThreads(connections: number, cores = availableParallelism(), allCores = false): number {
  const most = allCores ? cores : wrkCores(cores);
  for (let t = Math.max(1, Math.min(most, connections)); t > 1; t--) if (connections % t === 0) return t;
  return 1;
}

/** wrk's arguments for a window; durations and timeouts in whole seconds (wrk's scan_time units). */
export function wrkArgs(window: LoadWindow, threads: number, scriptPath: string): string[] {
  const seconds = (s: number) => `${Math.max(1, Math.round(s))}s`;
  return [
    '-c',
    String(window.connections),
    '-t',
    String(threads),
    '-d',
    seconds(window.durationS),
    '--timeout',
    seconds(window.timeoutS),
    '-s',
    scriptPath,
    window.baseUrl,
  ];
}

export function createWrkRunner(options: WrkRunnerOptions = {}): LoadRunner {
  return {
    tool: 'wrk',
    async run(window: LoadWindow, signal?: AbortSignal, hooks?: RunHooks): Promise<WindowMeasurement> {
      const bin = options.bin ?? findWrk(options.env);
      if (bin === undefined) throw new WrkRunError(WRK_MISSING_HELP);
      if (window.rate !== undefined) throw new WrkRunError('wrk runs the closed model only: use --tool k6 for --rate');
      const threads = options.threads ?? wrkThreads(window.connections, undefined, options.allCores === true);
      const dir = await mkdtemp(join(tmpdir(), 'jobbench-wrk-'));
      try {
        const scriptPath = join(dir, 'window.lua');
        const exportPath = join(dir, 'latency.txt');
        const requests = buildRequestList({
          scenario: window.scenario,
          seed: window.seed,
          jobCount: window.jobCount,
          ...(options.requestListLength === undefined ? {} : { length: options.requestListLength }),
        });
        const timeline = window.timeline === true;
        const script = wrkScript({
          requests,
          threads,
          exportPath,
          statusCodes: options.statusCodes === true,
          timeline,
        });
        await writeFile(scriptPath, script);
        const result = await runWrkProcess(bin, wrkArgs(window, threads, scriptPath), signal, hooks?.onStart);
        signal?.throwIfAborted();
        const tail = result.stderrTail.filter((l) => l.trim() !== '').slice(-10);
        if (result.exitCode !== 0 || result.window === undefined)
          throw new WrkRunError(
            `wrk exited with ${result.exitCode ?? result.signal}${result.window ? '' : ' before its done() marker'}:\n${[...tail, result.stdout.trim()].join('\n')}`,
          );
        const text = await readFile(exportPath, 'utf8').catch(() => {
          throw new WrkRunError(`wrk wrote no latency export (done() failed?):\n${tail.join('\n')}`);
        });
        const exported = parseWrkExport(text);
        const measurement = wrkMeasurement(exported, {
          connections: window.connections,
          timeoutS: window.timeoutS,
          generatorCpuUs: result.window.cpuUs,
        });
        if (!timeline) return { ...measurement, generatorThreads: threads };
        if (result.startEpochMs === undefined) throw new WrkRunError('wrk: the start marker carried no clock');
        const seconds = wrkTimeline(exported, result.startEpochMs, window.durationS);
        return { ...measurement, generatorThreads: threads, timeline: seconds };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The runner `jobbench run --tool wrk` uses. */
export const wrkRunner: LoadRunner = createWrkRunner();
