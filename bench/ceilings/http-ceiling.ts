/** The HTTP ceiling: the run's load tool and connections against a bare node:http server. */
import type { LoadRunner } from '../runners/types.ts';
import { decodeHistogram } from '../stats/histogram.ts';
import { startBareHttpServer } from './bare-http-server.ts';
import type { HttpCeiling } from './types.ts';

export async function measureHttpCeiling(opts: {
  runner: LoadRunner;
  connections: number;
  durationS: number;
  warmupS?: number; // default 1 s: the JIT of the server and of a Node generator
  timeoutS?: number;
  signal?: AbortSignal;
}): Promise<HttpCeiling> {
  const server = await startBareHttpServer();
  try {
    const window = {
      baseUrl: server.baseUrl,
      scenario: 'health' as const,
      seed: 1,
      jobCount: 1,
      connections: opts.connections,
      timeoutS: opts.timeoutS ?? 10,
    };
    const warmupS = opts.warmupS ?? 1;
    if (warmupS > 0) await opts.runner.run({ ...window, durationS: warmupS }, opts.signal);
    const m = await opts.runner.run({ ...window, durationS: opts.durationS }, opts.signal);
    const h = decodeHistogram(m.histogram);
    return {
      tool: opts.runner.tool,
      connections: opts.connections,
      durationS: m.durationS,
      requests: m.requests,
      requestsPerSec: m.requests / m.durationS,
      latencyP50Us: h.getValueAtPercentile(50),
      latencyP99Us: h.getValueAtPercentile(99),
      generatorCpuPercent: (m.generatorCpuUs / (m.durationS * 1e6)) * 100,
    };
  } finally {
    await server.stop();
  }
}
