import { cpus as osCpus } from 'node:os';
import { scenarioWrites } from '../scenarios/catalog.ts';
import { restoreSeededJobs } from '../src/db/seed.ts';
import { percentilesUs, decodeHistogram } from './stats/histogram.ts';
import type { Round } from './results/types.ts';
import type { LoadSpec } from './plan.ts';
import { startQueryCounter } from './query-counter.ts';
import { startServerSampler } from './samplers.ts';
import { startMemorySampler } from './memory-sampler.ts';
import { startCpuWindow } from './cpu/window-cpu.ts';
import { windowCpuOf } from './cpu/window.ts';
import {
  affinityReadBack,
  pinServer,
  startProfile,
  stopProfile,
  type AppliedPlacement,
  type ProfileSettings,
} from './cpu/window-observe.ts';
import type { LoadRunner, LoadWindow, WindowMeasurement } from './runners/types.ts';
import type { Target, TargetSpec } from './target.ts';
import { evidencePlan } from './targets/kinds.ts';
import { clearedAtMs, startFaults, type FaultTools, type RunningFaults } from './faults/inject.ts';
import type { FaultSchedule } from './faults/schedule.ts';
import { figuresFromCounts } from './faults/second-counts.ts';

export const GENERATOR_BOUND_PERCENT = 90; // of one core (DESIGN.md, rule 6)

export interface WindowSettings {
  warmupS: number;
  durationS: number;
  timeoutS: number;
  seed: number;
  jobCount: number;
  /** false (--no-seed): the target owns its data; windows that write are not followed by a restore. */
  restoreSeed?: boolean;
  k6?: LoadWindow['k6'];
  cpus?: AppliedPlacement; // --cpus: the server is pinned at the start of each window, affinity read back
  cpuProfile?: ProfileSettings; // --cpu-profile: the server's .cpuprofile of each measured window
}

/** Extra facts of a window that do not fit a Round but matter to its cell (k6 open model). */
export interface WindowExtras {
  targetRate?: number;
  achievedRate?: number;
  droppedIterations?: number;
  thresholdsPassed?: boolean;
  thresholdFailures?: string[];
}

/**
 * One measured window of one cell: warm-up (discarded), then the measured load with the server
 * sampled alongside. Returns the round record and the open-model extras.
 */
export async function measureWindow(args: {
  round: number;
  target: Target;
  spec: TargetSpec;
  load: LoadSpec;
  runner: LoadRunner;
  settings: WindowSettings;
  databaseUrl: string;
  signal?: AbortSignal;
  onPhase?: (phase: 'warmup' | 'measure', seconds: number) => void;
  /** Faults to inject during the measured load (never the warm-up), with the means to do it. */
  faults?: { schedule: FaultSchedule; tools: FaultTools };
}): Promise<{ round: Round; extras: WindowExtras; lost: string[] }> {
  const { target, load, settings } = args;
  const base: Omit<LoadWindow, 'durationS' | 'seed'> = {
    baseUrl: target.baseUrl,
    scenario: load.scenario,
    connections: load.connections,
    timeoutS: settings.timeoutS,
    jobCount: settings.jobCount,
    ...(load.rate === undefined ? {} : { rate: load.rate }),
    ...(load.thinkTimeMs === undefined ? {} : { thinkTimeMs: load.thinkTimeMs }),
    ...(settings.k6 === undefined ? {} : { k6: settings.k6 }),
  };
  // Only the measured load of a faulted window needs its seconds counted (wrk pays CPU for it).
  const measured = { ...base, ...(args.faults ? { timeline: true } : {}) };
  pinServer(target.pid, settings.cpus);
  if (settings.warmupS > 0) {
    args.onPhase?.('warmup', settings.warmupS);
    // A different seed: the measured window must not replay the warm-up's requests from a warm cache.
    await args.runner.run(
      { ...base, durationS: settings.warmupS, seed: settings.seed + 1_000_003 * args.round + 17 },
      args.signal,
    );
  }
  if (args.signal?.aborted) throw new Error('aborted');
  const evidence = evidencePlan(args.spec);
  const sampler = await startServerSampler({
    pid: target.pid,
    baseUrl: target.baseUrl,
    databaseUrl: args.databaseUrl,
    applicationName: `jobbench:${args.spec.adapter}`,
    evidence,
  });
  const queries = await startQueryCounter({ baseUrl: target.baseUrl, databaseUrl: args.databaseUrl });
  const applicationName = `jobbench:${args.spec.adapter}`;
  const cpuWindow = await startCpuWindow({ serverPid: target.pid, databaseUrl: args.databaseUrl, applicationName });
  if (settings.cpuProfile) await startProfile(target.baseUrl);
  // Started last and stopped first: nothing between can throw and leave its timer running.
  // The server's RSS as the server sampler last read it (every 250 ms): the process tree is walked once.
  const memory = await startMemorySampler({ serverRssBytes: () => sampler.lastRssBytes() });
  args.onPhase?.('measure', settings.durationS);
  let faults: RunningFaults | undefined;
  const beginFaults = () => {
    if (args.faults) faults ??= startFaults(args.faults.schedule, args.faults.tools);
  };
  const outcome = await args.runner
    .run({ ...measured, durationS: settings.durationS, seed: settings.seed + args.round }, args.signal, {
      onStart: beginFaults,
    })
    .then(
      (measurement) => ({ measurement }),
      (error: unknown) => ({ error }),
    );
  const rss = await memory.stop();
  beginFaults(); // a runner that never said it started (it failed first): the offsets then count from its end
  await faults?.settle(); // undo whatever is still applied before anything else touches the database
  const cpuReading = await cpuWindow.stop(); // always, like the sampler: it holds a connection
  const profile = settings.cpuProfile
    ? await stopProfile(
        target.baseUrl,
        settings.cpuProfile,
        `r${args.round}-${args.spec.adapter}-${args.spec.metrics}-${load.scenario}-${load.connections}`,
      )
    : undefined;
  const affinity = affinityReadBack(target.pid, settings.cpus);
  const server = await sampler.stop(); // always: it holds a database connection
  const counted = await queries.stop('measurement' in outcome ? outcome.measurement.requests : 0);
  // Every window, of every adapter and command, starts from the same seeded table.
  if (scenarioWrites(load.scenario) && settings.restoreSeed !== false)
    await restoreSeededJobs(args.databaseUrl, settings.jobCount);
  if ('error' in outcome) throw outcome.error;
  const m: WindowMeasurement = outcome.measurement;
  const generatorCpuPercent = (m.generatorCpuUs / (m.durationS * 1e6)) * 100;
  const cpu = windowCpuOf({
    reading: cpuReading,
    measurement: m,
    tool: args.runner.tool,
    cores: osCpus().length, // all online cores: availableParallelism() shrinks under --cpus
  });
  const resilience = args.faults && m.timeline ? faultedWindow(args.faults.schedule, m, faults) : {};
  const latencyUs =
    m.requests > 0 ? percentilesUs(decodeHistogram(m.histogram)) : { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    round: {
      round: args.round,
      durationS: round3(m.durationS),
      requests: m.requests,
      requestsPerSec: round3(m.requests / m.durationS),
      bytesPerSec: Math.round(m.bytes / m.durationS),
      errors: m.errors,
      timeouts: m.timeouts,
      non2xx: m.non2xx,
      statusCodes: m.statusCodes,
      latencyUs,
      histogram: m.histogram,
      // Only when something was turned away: otherwise it is the histogram above, stored twice.
      ...(m.admittedHistogram !== undefined && (m.statusCodes['503'] ?? 0) > 0
        ? { admittedHistogram: m.admittedHistogram }
        : {}),
      serverCpuUsPerRequest: server.cpuUs === null ? null : m.requests > 0 ? round3(server.cpuUs / m.requests) : 0,
      serverRssBytes: server.peakRssBytes,
      harnessPeakRssBytes: rss.harnessPeakRssBytes,
      harnessEndRssBytes: rss.harnessEndRssBytes,
      // Over a minute, RSS per minute (bounded: rss-series.ts); shorter windows have peak and end only.
      ...(rss.series.points.length > 1 ? { rssOverTime: rss.series } : {}),
      eventLoopMaxDelayMs: server.eventLoopMaxDelayMs === null ? null : round3(server.eventLoopMaxDelayMs),
      serverProcesses: server.processesMax,
      serverThreads: server.threadsMax,
      poolWaitingMax: server.poolWaitingMax,
      dbBackends: server.dbBackendsMax,
      generatorCpuPercent: round3(generatorCpuPercent),
      generatorBound: cpu.generatorBound, // ≥ GENERATOR_BOUND_PERCENT of each core it can use (cpu/saturation.ts)
      machineSaturated: cpu.machineSaturated,
      cpu: affinity ? { ...cpu, affinity } : cpu,
      ...(profile ? { profile } : {}),
      queriesPerRequest: counted.queriesPerRequest,
      pgStatementsPerRequest: counted.pgStatementsPerRequest,
      ...(m.timeline ? { noAnswer: m.timeline.noAnswer } : {}),
      ...resilience,
    },
    extras: {
      ...(m.targetRate === undefined ? {} : { targetRate: m.targetRate }),
      ...(m.achievedRate === undefined ? {} : { achievedRate: m.achievedRate }),
      ...(m.droppedIterations === undefined ? {} : { droppedIterations: m.droppedIterations }),
      ...(m.thresholdsPassed === undefined ? {} : { thresholdsPassed: m.thresholdsPassed }),
      ...(m.thresholdFailures === undefined ? {} : { thresholdFailures: m.thresholdFailures }),
    },
    lost: [...(server.lost ?? []), ...(target.exited?.() ? [`API server ${target.exited()}`] : [])],
  };
}

/** What a faulted window adds to its round: the fault log, the per-second timeline and the figures. */
function faultedWindow(
  schedule: FaultSchedule,
  m: WindowMeasurement,
  faults: RunningFaults | undefined,
): Partial<Round> {
  const timeline = m.timeline!;
  return {
    faultEvents: faults?.events ?? [],
    timeline: timeline.seconds,
    resilience: figuresFromCounts(timeline, clearedAtMs(schedule, faults?.events), m.durationS),
  };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
