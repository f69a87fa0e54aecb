import type { BenchmarkPlan, LoadSpec, ScheduledVisit } from './plan.ts';
import type { LoadRunner } from '../runners/types.ts';
import type { Target, TargetConnection, TargetSpec } from '../targets/spec.ts';
import type { Progress } from '../host/progress.ts';
import { formatDuration, windowTicker } from '../host/progress.ts';
import { killHard } from '../host/process-group.ts';
import { measureWindow } from '../window/measure.ts';
import { faultName } from './plan.ts';
import { cellFieldsOf, labelOf, type createOutcome } from './outcome.ts';
import { windowLine } from './progress-lines.ts';

/** What executeBenchmark carries from window to window. */
export interface RunState {
  plan: BenchmarkPlan;
  progress: Progress;
  signal: AbortSignal | undefined;
  multiTool: boolean;
  outcome: ReturnType<typeof createOutcome>;
  remainingS: number; // the time-left estimate
  perWindowS: number;
  servers: Map<TargetSpec, Target>; // keepServers: each target's running server between its visits
  /** Why a round's data on a database is not the run's (checked once per round and database), or undefined. */
  dataProblem: (round: number, databaseUrl: string) => Promise<string | undefined>;
}

/** One measured window of a visit, recorded in its cell; a window that lost its server or database reports why. */
export async function executeWindow(
  run: RunState,
  w: {
    visit: ScheduledVisit<LoadRunner>;
    runner: LoadRunner;
    target: Target;
    load: LoadSpec;
    connection: TargetConnection;
    where: string;
  },
): Promise<'ok' | 'aborted' | { lost: string }> {
  const { plan, progress, signal } = run;
  const { visit, runner, target, load } = w;
  const spec = visit.target;
  const fault = faultName(load);
  const loadName = `${load.scenario} · ${load.rate ? `${load.rate} req/s` : `${load.connections} conn`}${fault ? ` · ${fault}` : ''}`;
  let stopTicker = (): void => {};
  const measure = () =>
    measureWindow({
      round: visit.round,
      target,
      spec,
      load,
      runner,
      settings: plan.settings,
      databaseUrl: w.connection.samplerDatabaseUrl ?? plan.databaseUrl,
      signal,
      ...(plan.probes ? { probes: plan.probes(spec, load) } : {}),
      ...(load.fault && fault
        ? { faults: { schedule: load.fault, tools: { ...plan.faultTools, killServer: () => killHard(target.pid) } } }
        : {}),
      onPhase: (phase, seconds) => {
        const head = `[${w.where} · ${loadName}] ${phase === 'warmup' ? 'warming up' : 'measuring'} ${seconds} s`;
        progress.update(`${head} (~${formatDuration(run.remainingS)} left)`);
        if (phase !== 'warmup' && seconds >= 60)
          stopTicker = windowTicker(
            progress,
            (done) => `${head}: ${formatDuration(done)} done (~${formatDuration(run.remainingS - done)} left)`,
          );
      },
    }).finally(() => stopTicker());
  let { round, extras, lost } = await measure();
  // Other processes took the machine meanwhile (DESIGN.md rule 12): measure the window again, once; a
  // window still disturbed is kept, flagged, and left out of verdicts.
  const first = round.validity;
  if (first?.disturbed && lost.length === 0 && !signal?.aborted) {
    progress.log(
      `[${w.where} · ${loadName}] disturbed: measuring again\n` +
        `  other processes used ${first.foreignCpuPercent}% of a core (threshold ${first.thresholdPercent}%)`,
    );
    ({ round, extras, lost } = await measure());
    if (round.validity) round.validity.remeasuredAfter = { foreignCpuPercent: first.foreignCpuPercent ?? 0 };
  }
  run.remainingS -= run.perWindowS;
  await plan.afterWindow?.(spec, load);
  if (signal?.aborted) return 'aborted'; // a window cut short by Ctrl-C is not a measurement
  // Without a scheduled fault, a server that died or a database that went away mid-window makes the
  // window unusable; with one, that is what the window measures.
  if (!fault && lost.length > 0) return { lost: lost.join('; ') };
  run.outcome.add(cellFieldsOf(spec, load, runner.tool, labelOf(plan, spec, load)), round, extras, target.facts);
  progress.log(`[${w.where} · ${loadName}] ${windowLine(round)}`);
  await checkpoint(run);
  return 'ok';
}

/** Hands the plan's checkpoint everything measured so far; a failed write is logged and the run goes on. */
export async function checkpoint(run: RunState): Promise<void> {
  try {
    await run.plan.checkpoint?.(run.outcome.snapshot(run.signal?.aborted === true));
  } catch (err) {
    run.progress.log(`could not write partial results: ${(err as Error).message}`);
  }
}
