/**
 * One k6 process: spawned in its own process group (the harness, not the terminal's Ctrl-C, decides when
 * it stops), watched for the window markers the script logs, and measured from /proc: the load
 * generator's CPU over the window is user+system time at the end marker minus that at the start marker,
 * which leaves out k6's start-up (script compilation, VU creation) and its summary.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { WINDOW_MARKERS } from '../../../scenarios/k6/tags.ts';
import { stopChildOnAbort } from '../../host/child-stop.ts';
import { trackChild } from '../../host/children.ts';
import { processCpuUs } from '../../host/procfs.ts';

export interface K6ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  window: { durationS: number; cpuUs: number } | undefined; // undefined when a marker never came
  cpuUsTotal: number; // whole process, last value seen
  stderrTail: string[];
  stdoutTail: string[];
}

const TAIL_LINES = 40;
const CPU_POLL_MS = 200; // fallback when the process is gone before its end marker is read

function lineCollector(onLine: (line: string) => void): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
}

function pushTail(tail: string[], line: string): void {
  tail.push(line);
  if (tail.length > TAIL_LINES) tail.shift();
}

/**
 * Runs k6 to completion (or until `signal` aborts it: SIGINT, then SIGKILL after 10 s); `onStart` is
 * called when the script logs the start of its measured window.
 */
export function runK6Process(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  onStart?: () => void,
): Promise<K6ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    trackChild(child, 'k6'); // a kill -9 of jobbench: the next jobbench stops it
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    const stderrTail: string[] = [];
    const stdoutTail: string[] = [];
    let lastCpuUs = 0;
    const sampleCpu = (): number => {
      const cpu = processCpuUs(pid);
      if (cpu !== null) lastCpuUs = cpu;
      return lastCpuUs;
    };
    const poll = setInterval(sampleCpu, CPU_POLL_MS);
    let start: { atMs: number; cpuUs: number } | undefined;
    let end: { atMs: number; cpuUs: number } | undefined;

    child.stderr.on(
      'data',
      lineCollector((line) => {
        if (start === undefined && line.includes(WINDOW_MARKERS.start)) {
          start = { atMs: performance.now(), cpuUs: sampleCpu() };
          onStart?.();
        } else if (end === undefined && line.includes(WINDOW_MARKERS.end))
          end = { atMs: performance.now(), cpuUs: sampleCpu() };
        else pushTail(stderrTail, line);
      }),
    );
    child.stdout.on(
      'data',
      lineCollector((line) => pushTail(stdoutTail, line)),
    );

    const release = stopChildOnAbort(child, signal);

    child.once('error', (err) => {
      clearInterval(poll);
      release();
      reject(err);
    });
    child.once('close', (exitCode, exitSignal) => {
      clearInterval(poll);
      release();
      const window =
        start !== undefined && end !== undefined
          ? { durationS: (end.atMs - start.atMs) / 1000, cpuUs: Math.max(0, end.cpuUs - start.cpuUs) }
          : undefined;
      resolve({ exitCode, signal: exitSignal, window, cpuUsTotal: lastCpuUs, stderrTail, stdoutTail });
    });
  });
}
