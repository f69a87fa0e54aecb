/**
 * The server's processes over the window, from /proc (no request to the server): CPU per pid at its
 * first and last sight (a worker that starts or exits mid-window still counts), RSS and threads summed
 * over the process tree, and how many processes it had. The one reading of the server's CPU: the cpu
 * probe takes its figure from here. Nothing for an external target (not our process).
 */
import { samplePeriodically } from '../../host/periodic.ts';
import { processCpuUs, processRssBytes, processTree } from '../../host/procfs.ts';
import { SAMPLE_INTERVAL_MS, type Probe, type ProbeReport, type WindowEnd } from '../probe.ts';

export interface ServerCpuReading {
  cpuUs: number | null; // user+system over the window, summed over the tree; null: no process evidence
  wallS: number; // between the first and the last reading
}

export interface ServerProbe extends Probe {
  /** The server's CPU over the window, final once this probe has stopped. */
  reading(): ServerCpuReading;
  /** The server's RSS (its process tree) at the last sample; null without process evidence. */
  lastRssBytes(): number | null;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function serverProbe(intervalMs = SAMPLE_INTERVAL_MS): ServerProbe {
  let pid = 0;
  let evidence = false;
  let sampling: { stop(): Promise<void> } | undefined;
  const cpuFirst = new Map<number, number>();
  const cpuLast = new Map<number, number>();
  const lost = new Set<string>();
  let t0 = 0;
  let t1 = 0;
  let lastRssBytes = 0;
  let peakRssBytes = 0;
  let processesMax = 0;
  let threadsMax = 0;
  let first = true;
  const sample = () => {
    const tree = processTree(pid);
    if (first) t0 = performance.now();
    for (const s of tree) {
      if (!cpuFirst.has(s.pid)) cpuFirst.set(s.pid, first ? s.cpuUs : 0); // born during the window: all its CPU counts
      cpuLast.set(s.pid, s.cpuUs);
    }
    first = false;
    t1 = performance.now();
    lastRssBytes = tree.reduce((sum, s) => sum + (processRssBytes(s.pid) ?? 0), 0);
    peakRssBytes = Math.max(peakRssBytes, lastRssBytes);
    processesMax = Math.max(processesMax, tree.length);
    threadsMax = Math.max(
      threadsMax,
      tree.reduce((sum, s) => sum + s.threads, 0),
    );
    if (tree.length === 0) lost.add(`server process ${pid} is gone`);
  };
  const cpuUs = () => [...cpuLast].reduce((sum, [p, last]) => sum + last - cpuFirst.get(p)!, 0);
  return {
    name: 'server',
    async start(ctx) {
      pid = ctx.target.pid;
      evidence = 'tree' in ctx.evidence.process;
      if (!evidence) return;
      if (processCpuUs(pid) === null) throw new Error(`server process ${pid} is gone before the window`);
      sampling = await samplePeriodically(intervalMs, async () => sample());
    },
    async stop(end: WindowEnd): Promise<ProbeReport> {
      await sampling?.stop(); // takes a last sample: a dead server's CPU counts up to its last sight
      if (!evidence) {
        const none = { serverCpuUsPerRequest: null, serverRssBytes: null, serverProcesses: null, serverThreads: null };
        return { round: end.measurement ? none : {} };
      }
      const requests = end.measurement?.requests ?? 0;
      return {
        round: end.measurement
          ? {
              serverCpuUsPerRequest: requests > 0 ? round3(cpuUs() / requests) : 0,
              serverRssBytes: peakRssBytes,
              serverProcesses: processesMax,
              serverThreads: threadsMax,
            }
          : {},
        lost: [...lost],
      };
    },
    reading: () => ({ cpuUs: evidence ? cpuUs() : null, wallS: (t1 - t0) / 1000 }),
    lastRssBytes: () => (evidence ? lastRssBytes : null),
  };
}
