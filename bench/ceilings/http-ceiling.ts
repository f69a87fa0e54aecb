/**
 * The HTTP ceiling: the run's load tool(s) and connections against a bare node:http server. With several
 * tools (--tool autocannon,wrk) each gets its own ceiling, one after the other against the same bare
 * server, so a cell is read against the ceiling of the tool that measured it. Under --cpus the bare
 * server is pinned to the server set (as the API server is in every window) and the tool runs on the
 * generator set (it inherits the harness's, pinned by applyPlacement); both are read back from /proc.
 */
import { affinityOf, pinTree } from '../host/affinity.ts';
import type { CpuPlacement } from '../results/cpu.ts';
import type { LoadRunner } from '../runners/types.ts';
import { decodeHistogram } from '../stats/histogram.ts';
import { startBareHttpServer } from './bare-http-server.ts';
import type { HttpCeiling } from '../results/ceilings.ts';

export interface HttpCeilingOptions {
  connections: number;
  durationS: number;
  warmupS?: number; // default 1 s: the JIT of the server and of a Node generator
  timeoutS?: number;
  signal?: AbortSignal;
  placement?: CpuPlacement; // --cpus: server and generator sets
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
    const warmupS = opts.warmupS ?? 1;
    const ceilings: HttpCeiling[] = [];
    for (const runner of opts.runners) {
      if (warmupS > 0) await runner.run({ ...window, durationS: warmupS }, opts.signal);
      const m = await runner.run({ ...window, durationS: opts.durationS }, opts.signal);
      const h = decodeHistogram(m.histogram);
      ceilings.push({
        tool: runner.tool,
        connections: opts.connections,
        durationS: m.durationS,
        requests: m.requests,
        requestsPerSec: m.requests / m.durationS,
        latencyP50Us: h.getValueAtPercentile(50),
        latencyP99Us: h.getValueAtPercentile(99),
        generatorCpuPercent: (m.generatorCpuUs / (m.durationS * 1e6)) * 100,
        ...(opts.placement ? { affinity: { server: affinityOf(server.pid), generator: affinityOf('self') } } : {}),
      });
    }
    return ceilings;
  } finally {
    await server.stop();
  }
}
