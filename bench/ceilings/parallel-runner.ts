/**
 * N processes of one load tool against the same server, the connections split between them, measured as
 * one: requests and bytes summed, histograms merged, generator CPU summed (so per process it is ÷ N).
 * Used by the HTTP ceiling when one autocannon process saturates its core before the bare server does.
 */
import type { LoadRunner, LoadWindow, WindowMeasurement } from '../runners/types.ts';
import { encodeHistogram, mergeEncoded } from '../stats/histogram.ts';

export function parallelRunner(runner: LoadRunner, processes: number): LoadRunner {
  return {
    tool: runner.tool,
    async run(window: LoadWindow, signal?: AbortSignal): Promise<WindowMeasurement> {
      const split = Array.from(
        { length: processes },
        (_, i) => Math.floor(window.connections / processes) + (i < window.connections % processes ? 1 : 0),
      ).filter((c) => c > 0);
      const parts = await Promise.all(
        split.map((connections, i) => runner.run({ ...window, connections, seed: window.seed + i }, signal)),
      );
      const sum = (pick: (m: WindowMeasurement) => number) => parts.reduce((s, m) => s + pick(m), 0);
      const statusCodes: Record<string, number> = {};
      for (const m of parts)
        for (const [code, n] of Object.entries(m.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
      return {
        durationS: Math.max(...parts.map((m) => m.durationS)),
        requests: sum((m) => m.requests),
        statusCodes,
        errors: sum((m) => m.errors),
        timeouts: sum((m) => m.timeouts),
        non2xx: sum((m) => m.non2xx),
        bytes: sum((m) => m.bytes),
        histogram: encodeHistogram(mergeEncoded(parts.map((m) => m.histogram))),
        generatorCpuUs: sum((m) => m.generatorCpuUs),
      };
    },
  };
}
