/**
 * The HTTP ceiling: a bare node:http server loaded until it, not the generator, is the bottleneck (its
 * own process at ≥ 90% of a core, read from /proc). Each of the run's tools is tried (a cell of that tool
 * is read against it when no ceiling is server-bound); autocannon, when it saturates before the server,
 * is tried again with more worker processes (up to one per core); and when none of them got the server
 * to its core, the cheapest generator, wrk, if installed, is added. A ceiling the server did not bound is
 * a floor: it says so (`boundBy: 'generator'`, `floorReason`) and every fraction of it is an upper bound.
 * Under --cpus the bare server is pinned to the server set and the tools run on the generator set.
 */
import { availableParallelism } from 'node:os';
import { affinityOf, pinTree } from '../host/affinity.ts';
import { processCpuUs } from '../host/procfs.ts';
import type { CpuPlacement } from '../results/cpu.ts';
import type { LoadRunner, LoadWindow } from '../runners/types.ts';
import { decodeHistogram } from '../stats/histogram.ts';
import { startBareHttpServer } from './bare-http-server.ts';
import { parallelRunner } from './parallel-runner.ts';
import type { HttpCeiling } from '../results/ceilings.ts';

export const SERVER_BOUND_PERCENT = 90; // of one core: the bare server is the bottleneck
const GENERATOR_BOUND_PERCENT = 90; // of one core per generator process (DESIGN rule 6)

export interface HttpCeilingOptions {
  connections: number;
  durationS: number;
  warmupS?: number; // default 1 s: the JIT of the server and of a Node generator
  timeoutS?: number;
  signal?: AbortSignal;
  placement?: CpuPlacement; // --cpus: server and generator sets
  /** The cheapest generator, tried when the run's tools leave the server below its core (wrk). */
  cheapest?: LoadRunner;
  /** Most autocannon worker processes to try (default: one per core). 1: never more than one. */
  maxWorkers?: number;
}

export async function measureHttpCeiling(opts: HttpCeilingOptions & { runner: LoadRunner }): Promise<HttpCeiling> {
  return (await measureHttpCeilings({ ...opts, runners: [opts.runner] }))[0]!;
}

export async function measureHttpCeilings(
  opts: HttpCeilingOptions & { runners: readonly LoadRunner[] },
): Promise<HttpCeiling[]> {
  const server = await startBareHttpServer();
  try {
    if (opts.placement?.server) pinTree(server.pid, opts.placement.server);
    const window = {
      baseUrl: server.baseUrl,
      scenario: 'health' as const,
      seed: 1,
      jobCount: 1,
      connections: opts.connections,
      timeoutS: opts.timeoutS ?? 10,
    };
    const once = (runner: LoadRunner, workers: number) => measureOnce(runner, workers, window, server.pid, opts);
    const ceilings: HttpCeiling[] = [];
    const maxWorkers = Math.max(1, Math.min(opts.maxWorkers ?? availableParallelism(), opts.connections));
    for (const runner of opts.runners) {
      let best = await once(runner, 1);
      // More autocannon processes while each one is saturated and the server is not.
      for (let w = 2; runner.tool === 'autocannon' && w <= maxWorkers && generatorSaturated(best); w++) {
        const next = await once(runner, w);
        if (next.requestsPerSec > best.requestsPerSec) best = next;
        if (next.boundBy === 'server') break;
      }
      ceilings.push(best);
    }
    const cheapest = opts.cheapest;
    if (cheapest && !ceilings.some((c) => c.boundBy === 'server') && !ceilings.some((c) => c.tool === cheapest.tool))
      ceilings.push(await once(cheapest, 1));
    const tried = ceilings.map((c) => `${c.tool}${c.workers ? ` ×${c.workers}` : ''}`).join(', ');
    return ceilings.map((c) =>
      c.boundBy === 'server'
        ? c
        : {
            ...c,
            floorReason: `the bare server used ${Math.floor((c.serverCpuPercent ?? 0) * 10) / 10}% of a core (< ${SERVER_BOUND_PERCENT}%) with ${c.tool}${c.workers ? ` ×${c.workers}` : ''} at ${Math.round(c.generatorCpuPercent)}% of a core per generator process; tried: ${tried}`,
          },
    );
  } finally {
    await server.stop();
  }
}

function generatorSaturated(c: HttpCeiling): boolean {
  return c.boundBy === 'generator' && c.generatorCpuPercent / (c.workers ?? 1) >= GENERATOR_BOUND_PERCENT;
}

async function measureOnce(
  runner: LoadRunner,
  workers: number,
  window: Omit<LoadWindow, 'durationS'>,
  serverPid: number,
  opts: HttpCeilingOptions,
): Promise<HttpCeiling> {
  const tool = workers > 1 ? parallelRunner(runner, workers) : runner;
  const warmupS = opts.warmupS ?? 1;
  if (warmupS > 0) await tool.run({ ...window, durationS: warmupS }, opts.signal);
  const cpu0 = processCpuUs(serverPid);
  const m = await tool.run({ ...window, durationS: opts.durationS }, opts.signal);
  const cpu1 = processCpuUs(serverPid);
  const h = decodeHistogram(m.histogram);
  const serverCpuPercent = cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / (m.durationS * 1e6)) * 100 : 0;
  return {
    tool: runner.tool,
    connections: opts.connections,
    durationS: m.durationS,
    requests: m.requests,
    requestsPerSec: m.requests / m.durationS,
    latencyP50Us: h.getValueAtPercentile(50),
    latencyP99Us: h.getValueAtPercentile(99),
    generatorCpuPercent: (m.generatorCpuUs / (m.durationS * 1e6)) * 100,
    serverCpuPercent,
    boundBy: serverCpuPercent >= SERVER_BOUND_PERCENT ? 'server' : 'generator',
    ...(workers > 1 ? { workers } : {}),
    ...(opts.placement ? { affinity: { server: affinityOf(serverPid), generator: affinityOf('self') } } : {}),
  };
}
