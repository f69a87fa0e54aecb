import { readFile } from 'node:fs/promises';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { parseCallgrind, type CallgrindProfile } from './callgrind-file.ts';
import { startCountedServer, type CountedServer, type CountedServerSpec } from './callgrind-server.ts';
import { sweepingIr, WINDOW_DEPENDENT, windowDependent } from './jit.ts';
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
  irPerRequest: number; // the window's instructions less V8's compiling and collecting (jit.ts), per request
  compileIrPerRequest: number; // V8 compiling inside the window, per request
  gcIrPerRequest: number; // V8 collecting garbage inside the window, per request
  sweepIrPerRequest: number; // V8's lazy sweeping in the window, per request: part of irPerRequest (jit.ts)
  profile: CallgrindProfile; // the whole window's costs, not divided
}

/**
 * One server start counts every scenario in turn: warm-up (instrumentation off), then instrumentation
 * on, counters zeroed, the fixed sequence, a dump, instrumentation off. The per-request figure is the
 * dump's total, less what V8 spent compiling and collecting garbage inside the window (jit.ts), over the
 * number of requests;
 * the function costs (compilers included) are named through the perf map.
 *
 * No garbage collection is forced before the window: two full GCs there (`gc()`, tried until 2026-12-07)
 * made V8 throw away optimised code, so that two thirds of get-job's window was TurboFan compiling it
 * again (917,000 instructions/request against 300,000 without; `--trace-opt`: 17 functions optimised in the
 * 200 requests after the GC, 1 without it).
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
    const profile = parseCallgrind(await readFile(file, 'utf8'), resolve, WINDOW_DEPENDENT);
    const { compileIr, gcIr } = windowDependent(profile);
    const n = settings.requests;
    out.push({
      scenario,
      irPerRequest: (profile.totalIr - compileIr - gcIr) / n,
      compileIrPerRequest: compileIr / n,
      gcIrPerRequest: gcIr / n,
      sweepIrPerRequest: sweepingIr(profile) / n,
      profile,
    });
  }
  return out;
}

/** One start of `jobbench serve` under callgrind (callgrind-server.ts), every scenario counted, stopped. */
export async function countOneStart(
  spec: CountedServerSpec,
  scenarios: readonly ScenarioName[],
  settings: CountSettings,
  roots: readonly string[],
): Promise<StartCount[]> {
  const server = await startCountedServer(spec);
  try {
    return await countStart(server, scenarios, settings, roots);
  } finally {
    await server.stop();
  }
}
