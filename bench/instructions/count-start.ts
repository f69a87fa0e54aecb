import { readFile } from 'node:fs/promises';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { parseCallgrind, type CallgrindProfile } from './callgrind-file.ts';
import type { CountedServer } from './callgrind-server.ts';
import { parsePerfMap, perfMapResolver } from './perf-map.ts';
import { requestSequence, sendSequence } from './sequence.ts';

/** How much each start replays; every number is a request count. */
export interface CountSettings {
  warmupRequests: number; // served with instrumentation off, so that V8 has compiled the path before the count
  requests: number; // counted
  seed: number; // of the request sequence (the warm-up uses the next one)
  jobCount: number; // seeded ids are 1..jobCount
}

export interface StartCount {
  scenario: ScenarioName;
  irPerRequest: number;
  profile: CallgrindProfile; // the whole window's costs, not divided
}

/**
 * One server start counts every scenario in turn: warm-up (instrumentation off), then instrumentation
 * on, counters zeroed, the fixed sequence, a dump, instrumentation off. The per-request figure is the
 * dump's total over the number of requests; the function costs are named through the perf map.
 */
export async function countStart(
  server: CountedServer,
  scenarios: readonly ScenarioName[],
  settings: CountSettings,
  roots: readonly string[],
): Promise<StartCount[]> {
  const out: StartCount[] = [];
  for (const scenario of scenarios) {
    const warmup = requestSequence(scenario, settings.seed + 1, settings.jobCount, settings.warmupRequests);
    const counted = requestSequence(scenario, settings.seed, settings.jobCount, settings.requests);
    const bad = await sendSequence(server.baseUrl, scenario, warmup);
    await server.collectGarbage(); // the window starts on an empty young generation (when the revision can)
    await server.control('on');
    await server.control('zero');
    Object.entries(await sendSequence(server.baseUrl, scenario, counted)).forEach(
      ([k, v]) => (bad[k] = (bad[k] ?? 0) + v),
    );
    const file = await server.dump();
    await server.control('off');
    if (Object.keys(bad).length > 0) {
      const what = Object.entries(bad).map(([status, n]) => `${n} × ${status}`);
      throw new Error(`${scenario}: unexpected statuses (${what.join(', ')}): the count would measure another path`);
    }
    const resolve = perfMapResolver(parsePerfMap(await server.perfMap()), roots);
    const profile = parseCallgrind(await readFile(file, 'utf8'), resolve);
    out.push({ scenario, irPerRequest: profile.totalIr / settings.requests, profile });
  }
  return out;
}
