import { scenarioWrites } from '../../scenarios/catalog.ts';
import { restoreSeededJobs } from '../../src/db/seed.ts';
import type { Round } from '../results/types.ts';
import type { WindowLoad } from './load.ts';
import type { AppliedPlacement } from '../host/placement.ts';
import type { LoadRunner, LoadWindow, WindowMeasurement } from '../runners/types.ts';
import { shedOf, type Target, type TargetSpec } from '../targets/spec.ts';
import { startFaults, type RunningFaults } from '../faults/inject.ts';
import type { FaultTools } from '../faults/steps.ts';
import type { FaultSchedule } from '../faults/schedule.ts';
import { openWindowContext } from './context.ts';
import { probeManager, type Probe, type ProbesReport } from './probe.ts';
import { windowProbes } from './probe-list.ts';
import type { ProfileSettings } from './probes/profile.ts';
import { roundOf, windowExtrasOf, type WindowExtras } from './round.ts';
import { judgeStatuses } from './validity.ts';

export type { WindowExtras } from './round.ts';

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
  /** Other processes' CPU (% of one core) past which a window is disturbed (default DISTURBED_THRESHOLD_PERCENT). */
  disturbedThresholdPercent?: number;
  /** How often the periodic probes sample, in ms (default SAMPLE_INTERVAL_MS): --sample-interval. */
  sampleIntervalMs?: number;
}

export interface WindowArgs {
  round: number;
  target: Target;
  spec: TargetSpec;
  load: WindowLoad;
  runner: LoadRunner;
  settings: WindowSettings;
  databaseUrl: string;
  signal?: AbortSignal;
  onPhase?: (phase: 'warmup' | 'measure', seconds: number) => void;
  /** Faults to inject during the measured load (never the warm-up), with the means to do it. */
  faults?: { schedule: FaultSchedule; tools: FaultTools };
  /** A kind's own probes (the sweep's DB time), around the measured load only, after the window's own. */
  probes?: readonly Probe[];
}

type LoadOutcome = { measurement: WindowMeasurement } | { error: unknown };

/**
 * One measured window of one cell: warm-up (discarded), then the measured load with the window's
 * probes (bench/window/probe-list.ts) around it. Returns the round record, the open-model extras and
 * why part of the window went unobserved (`lost`).
 */
export async function measureWindow(args: WindowArgs): Promise<{ round: Round; extras: WindowExtras; lost: string[] }> {
  const window = openWindowContext({ ...args, tool: args.runner.tool });
  const probes = probeManager(windowProbes(args.settings, args.probes), window.contextFor);
  try {
    await probes.start('warmup');
    await warmUp(args);
    if (args.signal?.aborted) throw new Error('aborted');
    await window.db.connect(); // a database that cannot be reached fails the window here
    await probes.start('measure');
    args.onPhase?.('measure', args.settings.durationS);
    const { outcome, faults } = await measuredLoad(args);
    let report: ProbesReport | undefined;
    let stopError: unknown;
    try {
      report = await probes.stop('measurement' in outcome ? { measurement: outcome.measurement } : {});
    } catch (err) {
      stopError = err;
    }
    // Every window, of every adapter and command, starts from the same seeded table.
    if (scenarioWrites(args.load.scenario) && args.settings.restoreSeed !== false)
      await restoreSeededJobs(args.databaseUrl, args.settings.jobCount);
    if ('error' in outcome) throw outcome.error;
    if (!report) throw stopError;
    return {
      round: judgeStatuses(
        roundOf({
          round: args.round,
          measurement: outcome.measurement,
          probes: report.round,
          ...(args.faults ? { faults: { schedule: args.faults.schedule, running: faults } } : {}),
        }),
        { scenario: args.load.scenario, shedding: shedOf(args.spec) === 'on', faulted: args.faults !== undefined },
      ),
      extras: windowExtrasOf(outcome.measurement),
      lost: [
        ...report.lost,
        ...window.db.lost(),
        ...(args.target.exited?.() ? [`API server ${args.target.exited()}`] : []),
      ],
    };
  } catch (err) {
    await probes.stop({}).catch(() => {}); // whatever is still running; nothing is stopped twice
    throw err;
  } finally {
    await window.close();
  }
}

/** What every run of the load tool in this window shares. */
function loadWindowOf(args: WindowArgs): Omit<LoadWindow, 'durationS' | 'seed'> {
  const { target, load, settings } = args;
  return {
    baseUrl: target.baseUrl,
    scenario: load.scenario,
    connections: load.connections,
    timeoutS: settings.timeoutS,
    jobCount: settings.jobCount,
    ...(load.rate === undefined ? {} : { rate: load.rate }),
    ...(load.thinkTimeMs === undefined ? {} : { thinkTimeMs: load.thinkTimeMs }),
    ...(settings.k6 === undefined ? {} : { k6: settings.k6 }),
  };
}

async function warmUp(args: WindowArgs): Promise<void> {
  const { warmupS, seed } = args.settings;
  if (warmupS <= 0) return;
  args.onPhase?.('warmup', warmupS);
  // A different seed: the measured window must not replay the warm-up's requests from a warm cache.
  await args.runner.run(
    { ...loadWindowOf(args), durationS: warmupS, seed: seed + 1_000_003 * args.round + 17 },
    args.signal,
  );
}

/**
 * The measured load, with its faults started when the load tool says its window began; resolves
 * with the load's outcome (never rejects) once every fault is undone.
 */
async function measuredLoad(args: WindowArgs): Promise<{ outcome: LoadOutcome; faults?: RunningFaults }> {
  let faults: RunningFaults | undefined;
  const beginFaults = () => {
    if (args.faults) faults ??= startFaults(args.faults.schedule, args.faults.tools);
  };
  // Only the measured load of a faulted window needs its seconds counted (wrk pays CPU for it).
  const window = { ...loadWindowOf(args), ...(args.faults ? { timeline: true } : {}) };
  const { durationS, seed } = args.settings;
  const outcome: LoadOutcome = await args.runner
    .run({ ...window, durationS, seed: seed + args.round }, args.signal, { onStart: beginFaults })
    .then(
      (measurement) => ({ measurement }),
      (error: unknown) => ({ error }),
    );
  beginFaults(); // a runner that never said it started (it failed first): the offsets then count from its end
  await faults?.settle(); // undo whatever is still applied before anything else touches the database
  return { outcome, ...(faults ? { faults } : {}) };
}
