import type { Cell, Round } from './results/types.ts';
import { summarizeCell } from './stats/summarize.ts';
import { measureWindow, type WindowExtras, type WindowSettings } from './measure.ts';
import { buildSchedule, cellKey, type LoadSpec } from './plan.ts';
import { formatDuration, type Progress } from './progress.ts';
import type { LoadRunner } from './runners/types.ts';
import { startTarget, type TargetSpec } from './target.ts';
import { workersCellFields, workersLabel } from './target-workers.ts';
import { targetCellFields } from './targets/kinds.ts';

export interface BenchmarkPlan {
  rounds: number;
  targets: TargetSpec[];
  loads: LoadSpec[];
  settings: WindowSettings;
  runner: LoadRunner;
  databaseUrl: string;
  label?: (target: TargetSpec, load: LoadSpec) => string | undefined;
  /** How a target reaches PostgreSQL when not at databaseUrl (e.g. through PgBouncer); samplers keep databaseUrl. */
  connect?: (target: TargetSpec) => TargetConnection;
  /** Runs after every measured window, e.g. to restore the seeded data after a scenario that writes (adr). */
  afterWindow?: (target: TargetSpec, load: LoadSpec) => Promise<void>;
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
}

const SERVER_START_S = 2; // rough cost of starting a server, for the time-left estimate only

/**
 * Executes the interleaved schedule: for each visit, start the server, measure each load, stop it.
 * Stops early (keeping what it measured) when `signal` aborts or a window fails.
 */
export async function executeBenchmark(
  plan: BenchmarkPlan,
  progress: Progress,
  signal?: AbortSignal,
): Promise<BenchmarkOutcome> {
  const schedule = buildSchedule(plan.rounds, plan.targets, plan.loads);
  const perWindowS = plan.settings.warmupS + plan.settings.durationS;
  let remainingS = schedule.reduce((sum, v) => sum + SERVER_START_S + v.loads.length * perWindowS, 0);
  const cells = new Map<string, { target: TargetSpec; load: LoadSpec; rounds: Round[]; extras: WindowExtras[] }>();
  let error: string | undefined;

  visits: for (const visit of schedule) {
    if (signal?.aborted) break;
    const { target: spec } = visit;
    const where = `round ${visit.round}/${plan.rounds} · ${spec.adapter}${plan.targets.some((t) => t.poolMax !== spec.poolMax) ? ` pool ${spec.poolMax}` : ''}${plan.targets.some((t) => t.metrics !== spec.metrics) ? ` metrics ${spec.metrics}` : ''}${plan.targets.some((t) => t.via !== spec.via) ? ` via ${spec.via}` : ''}${spec.side ? ` ${spec.side}` : ''}`;
    progress.update(`[${where}] starting server… (~${formatDuration(remainingS)} left)`);
    let target;
    const connection: TargetConnection = plan.connect?.(spec) ?? { databaseUrl: plan.databaseUrl };
    try {
      // --cpu-profile: the server answers /internal/profile/{start,stop} (src/routes/profiler.ts).
      const env = plan.settings.cpuProfile ? { ...connection.env, JOBBENCH_PROFILER: 'on' } : connection.env;
      target = await startTarget(spec, connection.databaseUrl, env);
    } catch (err) {
      error = (err as Error).message;
      break;
    }
    remainingS -= SERVER_START_S;
    try {
      for (const load of visit.loads) {
        if (signal?.aborted) break visits;
        const loadName = `${load.scenario} · ${load.rate ? `${load.rate} req/s` : `${load.connections} conn`}`;
        try {
          const { round, extras } = await measureWindow({
            round: visit.round,
            target,
            spec,
            load,
            runner: plan.runner,
            settings: plan.settings,
            databaseUrl: connection.samplerDatabaseUrl ?? plan.databaseUrl,
            signal,
            onPhase: (phase, seconds) =>
              progress.update(
                `[${where} · ${loadName}] ${phase === 'warmup' ? 'warming up' : 'measuring'} ${seconds} s (~${formatDuration(remainingS)} left)`,
              ),
          });
          remainingS -= perWindowS;
          await plan.afterWindow?.(spec, load);
          if (signal?.aborted) break visits; // a window cut short by Ctrl-C is not a measurement
          const key = cellKey(spec, load);
          const cell = cells.get(key) ?? { target: spec, load, rounds: [], extras: [] };
          cell.rounds.push(round);
          cell.extras.push(extras);
          cells.set(key, cell);
          progress.log(
            `[${where} · ${loadName}] ${round.requestsPerSec.toFixed(0)} req/s, p50 ${(round.latencyUs.p50 / 1000).toFixed(3)} ms, p99 ${(round.latencyUs.p99 / 1000).toFixed(3)} ms, ${round.errors + round.non2xx} errors`,
          );
        } catch (err) {
          if (signal?.aborted) break visits;
          error = `${where} · ${loadName}: ${(err as Error).message}`;
          break visits;
        }
      }
    } finally {
      await target.stop();
    }
  }
  progress.done();
  return {
    cells: [...cells.values()].map((c) => toCell(c, plan)),
    aborted: signal?.aborted === true || error !== undefined,
    ...(error ? { error } : {}),
  };
}

function toCell(
  c: { target: TargetSpec; load: LoadSpec; rounds: Round[]; extras: WindowExtras[] },
  plan: BenchmarkPlan,
): Cell {
  const label = [plan.label?.(c.target, c.load), workersLabel(c.target)].filter(Boolean).join(' · ');
  const cell: Cell = {
    adapter: c.target.adapter,
    scenario: c.load.scenario,
    tool: plan.runner.tool,
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
