import { RUN_COSTS } from './costs.ts';
import {
  buildSchedule,
  faultName,
  type BenchmarkOutcome,
  type BenchmarkPlan,
  type LoadSpec,
  type ScheduledVisit,
} from './plan.ts';
import { formatDuration, type Progress } from '../host/progress.ts';
import { DB_WAIT_BUDGET_MS } from '../db/wait-ready.ts';
import { seededDataCheck } from './data-check.ts';
import type { LoadRunner } from '../runners/types.ts';
import type { Target, TargetConnection } from '../targets/spec.ts';
import { startTarget } from '../targets/start.ts';
import { visitName } from './progress-lines.ts';
import { checkpoint, executeWindow, type RunState } from './window.ts';
import { assertDistinctCells, createOutcome, labelOf } from './outcome.ts';

const SERVER_START_S = RUN_COSTS.serverStartS; // for the time-left estimate only

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
  const schedule = buildSchedule(plan.rounds, plan.targets, plan.loads, runners);
  assertDistinctCells(
    plan,
    runners.map((r) => r.tool),
  );
  const perWindowS = plan.settings.warmupS + plan.settings.durationS + RUN_COSTS.betweenWindowsS;
  const run: RunState = {
    plan,
    progress,
    signal,
    multiTool: runners.length > 1,
    outcome: createOutcome(),
    remainingS: schedule.reduce((sum, v) => sum + SERVER_START_S + v.loads.length * perWindowS, 0) + (plan.laterS ?? 0),
    perWindowS,
    dataProblem: seededDataCheck(plan.settings, progress),
    servers: new Map(),
  };
  try {
    let visits = schedule;
    let roundsDone = 0;
    for (;;) {
      let aborted = false;
      for (const visit of visits) {
        if (signal?.aborted || (await executeVisit(run, visit)) === 'aborted') {
          aborted = true;
          break;
        }
      }
      roundsDone = visits.reduce((max, v) => Math.max(max, v.round), roundsDone);
      const more = aborted || signal?.aborted ? null : (plan.extend?.(run.outcome.snapshot(false), roundsDone) ?? null);
      if (more === null || more.rounds <= 0) break;
      visits = buildSchedule(more.rounds, plan.targets, plan.loads, runners, roundsDone + 1)
        .map((v) => ({ ...v, loads: v.loads.filter((l) => more.measure(v.target, l)) }))
        .filter((v) => v.loads.length > 0);
      if (visits.length === 0) break;
      run.remainingS = visits.reduce((sum, v) => sum + v.loads.length * perWindowS, 0);
      progress.log(
        `rounds ${roundsDone + 1}–${roundsDone + more.rounds}: ${visits.length} more visits, of the undecided windows only`,
      );
    }
  } finally {
    for (const server of run.servers.values()) await server.stop();
  }
  progress.done();
  return run.outcome.snapshot(signal?.aborted === true);
}

/** One target's visit in one round: its server (started, restarted when it died or after a fault) and each load. */
async function executeVisit(run: RunState, visit: ScheduledVisit<LoadRunner>): Promise<'aborted' | 'done'> {
  const { plan, progress, signal } = run;
  const spec = visit.target;
  const runner = visit.runner ?? plan.runner;
  const where = visitName(plan, visit, runner.tool, run.multiTool);
  const connection: TargetConnection = plan.connect?.(spec) ?? { databaseUrl: plan.databaseUrl };
  let target: Target | undefined = run.servers.get(spec);
  run.servers.delete(spec);
  const fail = async (load: LoadSpec, reason: string) => {
    const label = labelOf(plan, spec, load);
    const fault = faultName(load);
    run.outcome.fail({
      adapter: spec.adapter,
      scenario: load.scenario,
      connections: load.connections,
      poolMax: spec.poolMax,
      round: visit.round,
      reason,
      ...(run.multiTool ? { tool: runner.tool } : {}),
      ...(fault ? { fault } : {}),
      ...(label ? { label } : {}),
    });
    progress.log(`[${where} · ${load.scenario}${fault ? ` · ${fault}` : ''}] window failed: ${reason}`);
    await checkpoint(run);
  };
  const dataProblem = await run.dataProblem(visit.round, connection.samplerDatabaseUrl ?? plan.databaseUrl);
  try {
    for (const load of visit.loads) {
      if (signal?.aborted) return 'aborted';
      if (dataProblem) {
        await fail(load, dataProblem);
        continue;
      }
      const died = target?.exited?.();
      if (target && died) {
        progress.log(`[${where}] the server ${died}: starting a fresh one`);
        await target.stop();
        target = undefined;
      }
      if (!target) {
        progress.update(`[${where}] starting server… (~${formatDuration(run.remainingS)} left)`);
        try {
          // --cpu-profile: the server answers /internal/profile/{start,stop} (src/routes/profiler.ts).
          const env = plan.settings.cpuProfile ? { ...connection.env, JOBBENCH_PROFILER: 'on' } : connection.env;
          target = await startTarget(spec, connection.databaseUrl, env, {
            waitForDatabase: {
              onWait: (waitedS, why) =>
                progress.update(
                  `[${where}] waiting for PostgreSQL (${waitedS} s of ${DB_WAIT_BUDGET_MS / 1000} s): ${why}`,
                ),
            },
          });
        } catch (err) {
          if (signal?.aborted) return 'aborted';
          run.remainingS -= run.perWindowS;
          await fail(load, `the server could not start: ${(err as Error).message}`);
          continue;
        }
        run.remainingS -= SERVER_START_S;
      }
      try {
        const measured = await executeWindow(run, { visit, runner, target, load, connection, where });
        if (measured === 'aborted') return 'aborted';
        if (measured !== 'ok') await fail(load, measured.lost);
      } catch (err) {
        if (signal?.aborted) return 'aborted';
        run.remainingS -= run.perWindowS;
        await fail(load, (err as Error).message);
      } finally {
        // A fault may leave a server degraded in ways the next cell must not inherit: start afresh.
        if (faultName(load) && target) {
          await target.stop();
          target = undefined;
        }
      }
    }
  } finally {
    if (target && plan.keepServers && !target.exited?.()) run.servers.set(spec, target);
    else await target?.stop();
  }
  return 'done';
}
