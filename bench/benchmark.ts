import type { Cell, FailedWindow, Round, Tool } from './results/types.ts';
import { summarizeCell } from './stats/summarize.ts';
import { measureWindow, type WindowExtras, type WindowSettings } from './measure.ts';
import { buildSchedule, cellKey, faultName, type LoadSpec } from './plan.ts';
import type { FaultTools } from './faults/inject.ts';
import { formatDuration, windowTicker, type Progress } from './progress.ts';
import type { LoadRunner } from './runners/types.ts';
import { startTarget, type Target, type TargetSpec } from './target.ts';
import { workersCellFields, workersLabel } from './target-workers.ts';
import { targetCellFields } from './targets/kinds.ts';

export interface BenchmarkPlan {
  rounds: number;
  targets: TargetSpec[];
  loads: LoadSpec[];
  settings: WindowSettings;
  runner: LoadRunner;
  /** Several load tools interleaved inside each round (--tool autocannon,wrk); absent: [runner]. */
  runners?: readonly LoadRunner[];
  databaseUrl: string;
  label?: (target: TargetSpec, load: LoadSpec) => string | undefined;
  /** How a target reaches PostgreSQL when not at databaseUrl (e.g. through PgBouncer); samplers keep databaseUrl. */
  connect?: (target: TargetSpec) => TargetConnection;
  /** Runs after every measured window, e.g. to restore the seeded data after a scenario that writes (adr). */
  afterWindow?: (target: TargetSpec, load: LoadSpec) => Promise<void>;
  /** Called with everything measured so far after every window, measured or failed (partial results). */
  checkpoint?: (snapshot: BenchmarkOutcome) => Promise<void>;
  /** The proxy and database switch that faulted loads use (bench/faults/setup.ts); the server kill is added per window. */
  faultTools?: Omit<FaultTools, 'killServer'>;
}

export interface TargetConnection {
  databaseUrl: string;
  env?: NodeJS.ProcessEnv; // extra environment of the server process
  /** Where the window's samplers and the seeded-table restore look, when not databaseUrl (a gate side's own database). */
  samplerDatabaseUrl?: string;
}

export interface BenchmarkOutcome {
  cells: Cell[];
  aborted: boolean;
  error?: string; // why the run stopped early, when it did not finish
  failedWindows?: FailedWindow[]; // windows that failed; the run went on (DESIGN.md rule 10)
}

const SERVER_START_S = 2; // rough cost of starting a server, for the time-left estimate only

/**
 * Executes the interleaved schedule: for each visit, start the server, measure each load, stop it.
 * A window that fails (the server died, the database went away, the load tool failed) is recorded
 * with its reason and the run goes on: a dead server is started afresh for the next window, and so is
 * every server after a faulted window. Stops early (keeping what it measured) only when `signal` aborts.
 */
export async function executeBenchmark(
  plan: BenchmarkPlan,
  progress: Progress,
  signal?: AbortSignal,
): Promise<BenchmarkOutcome> {
  const runners = plan.runners?.length ? plan.runners : [plan.runner];
  const multiTool = runners.length > 1;
  const schedule = buildSchedule(plan.rounds, plan.targets, plan.loads, runners);
  const perWindowS = plan.settings.warmupS + plan.settings.durationS;
  let remainingS = schedule.reduce((sum, v) => sum + SERVER_START_S + v.loads.length * perWindowS, 0);
  const cells = new Map<string, CellRounds>();
  const failedWindows: FailedWindow[] = [];
  const snapshot = (): BenchmarkOutcome => ({
    cells: [...cells.values()].filter((c) => c.rounds.length > 0).map((c) => toCell(c, plan)),
    aborted: signal?.aborted === true,
    ...(failedWindows.length > 0 ? { failedWindows: [...failedWindows] } : {}),
  });
  const checkpoint = async () => {
    try {
      await plan.checkpoint?.(snapshot());
    } catch (err) {
      progress.log(`could not write partial results: ${(err as Error).message}`);
    }
  };

  visits: for (const visit of schedule) {
    if (signal?.aborted) break;
    const { target: spec } = visit;
    const runner = visit.runner ?? plan.runner;
    const where = `round ${visit.round}/${plan.rounds} · ${spec.adapter}${multiTool ? ` · ${runner.tool}` : ''}${plan.targets.some((t) => t.poolMax !== spec.poolMax) ? ` pool ${spec.poolMax}` : ''}${plan.targets.some((t) => t.metrics !== spec.metrics) ? ` metrics ${spec.metrics}` : ''}${plan.targets.some((t) => t.via !== spec.via) ? ` via ${spec.via}` : ''}${plan.targets.some((t) => t.shed !== spec.shed) ? ` shed ${spec.shed ?? 'env'}` : ''}${spec.side ? ` ${spec.side}` : ''}`;
    const connection: TargetConnection = plan.connect?.(spec) ?? { databaseUrl: plan.databaseUrl };
    let target: Target | undefined;
    const fail = async (load: LoadSpec, reason: string) => {
      const label = plan.label?.(spec, load);
      const fault = faultName(load);
      failedWindows.push({
        adapter: spec.adapter,
        scenario: load.scenario,
        connections: load.connections,
        poolMax: spec.poolMax,
        round: visit.round,
        reason,
        ...(multiTool ? { tool: runner.tool } : {}),
        ...(fault ? { fault } : {}),
        ...(label ? { label } : {}),
      });
      progress.log(`[${where} · ${load.scenario}${fault ? ` · ${fault}` : ''}] window failed: ${reason}`);
      await checkpoint();
    };
    try {
      for (const load of visit.loads) {
        if (signal?.aborted) break visits;
        const fault = faultName(load);
        const loadName = `${load.scenario} · ${load.rate ? `${load.rate} req/s` : `${load.connections} conn`}${fault ? ` · ${fault}` : ''}`;
        const died = target?.exited?.();
        if (target && died) {
          progress.log(`[${where}] the server ${died}: starting a fresh one`);
          await target.stop();
          target = undefined;
        }
        if (!target) {
          progress.update(`[${where}] starting server… (~${formatDuration(remainingS)} left)`);
          try {
            // --cpu-profile: the server answers /internal/profile/{start,stop} (src/routes/profiler.ts).
            const env = plan.settings.cpuProfile ? { ...connection.env, JOBBENCH_PROFILER: 'on' } : connection.env;
            target = await startTarget(spec, connection.databaseUrl, env);
          } catch (err) {
            if (signal?.aborted) break visits;
            remainingS -= perWindowS;
            await fail(load, `the server could not start: ${(err as Error).message}`);
            continue;
          }
          remainingS -= SERVER_START_S;
        }
        const running: Target = target;
        let stopTicker = (): void => {};
        try {
          const { round, extras, lost } = await measureWindow({
            round: visit.round,
            target: running,
            spec,
            load,
            runner,
            settings: plan.settings,
            databaseUrl: connection.samplerDatabaseUrl ?? plan.databaseUrl,
            signal,
            ...(load.fault && fault
              ? { faults: { schedule: load.fault, tools: { ...plan.faultTools, killServer: () => killHard(running) } } }
              : {}),
            onPhase: (phase, seconds) => {
              const head = `[${where} · ${loadName}] ${phase === 'warmup' ? 'warming up' : 'measuring'} ${seconds} s`;
              progress.update(`${head} (~${formatDuration(remainingS)} left)`);
              if (phase !== 'warmup' && seconds >= 60)
                stopTicker = windowTicker(
                  progress,
                  (done) => `${head}: ${formatDuration(done)} done (~${formatDuration(remainingS - done)} left)`,
                );
            },
          }).finally(() => stopTicker());
          remainingS -= perWindowS;
          await plan.afterWindow?.(spec, load);
          if (signal?.aborted) break visits; // a window cut short by Ctrl-C is not a measurement
          // Without a scheduled fault, a server that died or a database that went away mid-window
          // makes the window unusable; with one, that is what the window measures.
          if (!fault && lost.length > 0) {
            await fail(load, lost.join('; '));
            continue;
          }
          const key = cellKey(spec, load, runner.tool);
          const cell = cells.get(key) ?? { target: spec, load, tool: runner.tool, rounds: [], extras: [] };
          cell.rounds.push(round);
          cell.extras.push(extras);
          cells.set(key, cell);
          const r = round.resilience;
          progress.log(
            `[${where} · ${loadName}] ${round.requestsPerSec.toFixed(0)} req/s, p50 ${(round.latencyUs.p50 / 1000).toFixed(3)} ms, p99 ${(round.latencyUs.p99 / 1000).toFixed(3)} ms, ${round.errors + round.non2xx} errors${r ? `, error window ${r.errorWindowMs === null ? 'none' : `${(r.errorWindowMs / 1000).toFixed(1)} s`}, recovered ${r.timeToRecoverMs === null ? 'never' : `after ${r.timeToRecoverMs / 1000} s`}` : ''}`,
          );
          await checkpoint();
        } catch (err) {
          if (signal?.aborted) break visits;
          remainingS -= perWindowS;
          await fail(load, (err as Error).message);
        } finally {
          // A fault may leave a server degraded in ways the next cell must not inherit: start afresh.
          if (fault && target) {
            await target.stop();
            target = undefined;
          }
        }
      }
    } finally {
      await target?.stop();
    }
  }
  progress.done();
  return snapshot();
}

/** server-kill: SIGKILL the server's process group (it was started detached: its pid leads the group). */
function killHard(target: Target): void {
  try {
    process.kill(-target.pid, 'SIGKILL');
  } catch {
    try {
      process.kill(target.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

interface CellRounds {
  target: TargetSpec;
  load: LoadSpec;
  tool: Tool; // the cell's load tool: with several tools, each cell is one tool's
  rounds: Round[];
  extras: WindowExtras[];
}

function toCell(c: CellRounds, plan: BenchmarkPlan): Cell {
  const label = [plan.label?.(c.target, c.load), workersLabel(c.target)].filter(Boolean).join(' · ');
  const cell: Cell = {
    adapter: c.target.adapter,
    scenario: c.load.scenario,
    tool: c.tool,
    connections: c.load.connections,
    poolMax: c.target.poolMax,
    rounds: c.rounds,
    summary: summarizeCell(c.rounds),
    metrics: c.target.metrics,
    via: c.target.via,
    ...(label ? { label } : {}),
    ...workersCellFields(c.target),
    ...(c.load.thinkTimeMs === undefined ? {} : { thinkTimeMs: c.load.thinkTimeMs }),
    ...(c.target.side ? { side: c.target.side } : {}),
    ...targetCellFields(c.target),
    ...(faultName(c.load) ? { fault: faultName(c.load)! } : {}),
  };
  if (c.load.rate !== undefined) {
    const dropped = c.extras.reduce((n, e) => n + (e.droppedIterations ?? 0), 0);
    const achieved = c.extras.map((e) => e.achievedRate ?? 0);
    cell.targetRate = c.load.rate;
    cell.achievedRate = Math.round((achieved.reduce((a, b) => a + b, 0) / Math.max(1, achieved.length)) * 10) / 10;
    cell.droppedIterations = dropped;
    cell.invalidForLatency = dropped > 0;
  }
  if (c.extras.some((e) => e.thresholdsPassed !== undefined))
    cell.sloPassed = c.extras.every((e) => e.thresholdsPassed !== false);
  return cell;
}
