/**
 * One wrk process: spawned in its own process group, its CPU read from /proc between the script's two
 * markers (wrk-lua.ts): from the moment every thread has loaded its requests to the moment the load has
 * stopped, which leaves out the script's parsing and the latency export in done().
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { processCpuUs } from '../../host/procfs.ts';
import { WRK_MARKERS } from './lua.ts';
import { stopChildOnAbort } from '../../host/child-stop.ts';
import { trackChild } from '../../host/children.ts';

export interface WrkProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  window: { durationS: number; cpuUs: number } | undefined; // undefined when a marker never came
  startEpochMs?: number; // the wall-clock ms the start marker carried (a timeline script only)
  stderrTail: string[];
  stdout: string; // wrk's own report (a few lines)
}

const TAIL_LINES = 40;

/** `onStart`: every thread has loaded its requests and sends (wrk starts each thread right after its init()). */
export function runWrkProcess(
  bin: string,
  args: string[],
  signal?: AbortSignal,
  onStart?: () => void,
): Promise<WrkProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    trackChild(child, 'wrk'); // a kill -9 of jobbench: the next jobbench stops it
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    const stderrTail: string[] = [];
    let stdout = '';
    let start: { atMs: number; cpuUs: number } | undefined;
    let startEpochMs: number | undefined;
    let end: { atMs: number; cpuUs: number } | undefined;
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (start === undefined && line.includes(WRK_MARKERS.start)) {
          start = { atMs: performance.now(), cpuUs: processCpuUs(pid) ?? 0 };
          const ms = Number(line.slice(line.indexOf(WRK_MARKERS.start) + WRK_MARKERS.start.length).trim());
          if (ms > 0) startEpochMs = ms;
          onStart?.();
        } else if (end === undefined && line.includes(WRK_MARKERS.end)) {
          end = { atMs: performance.now(), cpuUs: processCpuUs(pid) ?? 0 };
          child.stdin.end('go\n'); // done() waits for this line before exporting
        } else {
          stderrTail.push(line);
          if (stderrTail.length > TAIL_LINES) stderrTail.shift();
        }
      }
    });
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(-8000)));
    child.stdin.on('error', () => {}); // wrk gone before the handshake: reported by 'close'

    const release = stopChildOnAbort(child, signal);

    child.once('error', (err) => {
      release();
      reject(err);
    });
    child.once('close', (exitCode, exitSignal) => {
      release();
      const window =
        start !== undefined && end !== undefined
          ? { durationS: (end.atMs - start.atMs) / 1000, cpuUs: Math.max(0, end.cpuUs - start.cpuUs) }
          : undefined;
      resolve({
        exitCode,
        signal: exitSignal,
        window,
        stderrTail,
        stdout,
        ...(startEpochMs === undefined ? {} : { startEpochMs }),
      });
    });
  });
}
