/**
 * Plain wrk for the scripts that compare servers or harnesses (api-overhead.ts, observer-cost.ts): the
 * binary with no Lua script at all, its own static request, its own summary parsed. Nothing of
 * jobbench's runner (no script, no done() export, no response() callback), so that what it measures is
 * the server under the cheapest generator there is. And the wording of a paired ratio (DESIGN rule 13).
 */
import { execFile } from 'node:child_process';
import type { PairedRatio } from '../../bench/stats/paired.ts';

export interface PlainWrkOptions {
  threads: number;
  connections: number;
  durationS: number; // whole seconds
  timeoutS?: number; // default 10 s, as jobbench's windows
  /** A Lua script (-s): the observer's toggle of jobbench's own script; its done() reads one line of stdin. */
  scriptPath?: string;
}

export function plainWrkArgs(url: string, o: PlainWrkOptions): string[] {
  const s = (n: number) => `${Math.max(1, Math.round(n))}s`;
  return [
    '-t',
    String(o.threads),
    '-c',
    String(o.connections),
    '-d',
    s(o.durationS),
    '--timeout',
    s(o.timeoutS ?? 10),
    ...(o.scriptPath ? ['-s', o.scriptPath] : []),
    url,
  ];
}

/** wrk 4's summary: "N requests in 5.00s, …" and "Requests/sec: …"; non-2xx/3xx and socket errors too. */
export function parsePlainWrk(stdout: string): {
  requests: number;
  durationS: number;
  requestsPerSec: number;
  errors: number;
} {
  const m = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!m || !rps) throw new Error(`wrk: no summary in its output:\n${stdout.trim()}`);
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[m[3] as 'us' | 'ms' | 's' | 'm'];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = non2xx + (socket ? socket.slice(1).reduce((a, x) => a + Number(x), 0) : 0);
  return { requests: Number(m[1]), durationS: Number(m[2]) * unit, requestsPerSec: Number(rps[1]), errors };
}

export function runPlainWrk(bin: string, url: string, o: PlainWrkOptions) {
  return new Promise<ReturnType<typeof parsePlainWrk>>((resolve, reject) => {
    const child = execFile(bin, plainWrkArgs(url, o), { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`wrk failed: ${err.message}\n${stderr}`));
      else {
        try {
          resolve(parsePlainWrk(stdout));
        } catch (e) {
          reject(e as Error);
        }
      }
    });
    child.stdin?.end('\n'); // jobbench's script waits for a line in done(); plain wrk never reads it
  });
}

/** "0.82× (95% CI 0.78–0.86, n=5)", "0.82×, range (n=3) 0.78–0.86", or "n/a". */
export function ratioText(r: PairedRatio): string {
  const f = (x: number) => x.toFixed(3);
  if (r.kind === 'none') return 'n/a (no usable pair)';
  if (r.kind === 'range') return `${f(r.ratio)}×, range (n=${r.n}) ${f(r.lo)}–${f(r.hi)}`;
  return `${f(r.ratio)}× (${Math.round(r.confidence * 100)}% CI ${f(r.lo)}–${f(r.hi)}, n=${r.n})`;
}
