import { executeBenchmark } from '../../schedule/execute.ts';
import { benchmarkCheckpoint } from '../checkpoint.ts';
import { plannedWindows } from '../../schedule/outcome.ts';
import { pgbouncerInfo, withRoute } from '../../pgbouncer/via.ts';
import { DEFAULTS } from '../../../src/config.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import type { SweepState } from './analyze.ts';
import { dbTimeProbe, type ProbedWindow } from '../../window/probes/db-time.ts';
import { pgbouncerPoolsProbe } from '../../window/probes/pgbouncer-pools.ts';
import type { SweepPlan } from './plan.ts';

/** The interleaved benchmark over every route (direct, PgBouncer), with a probe reading DB time per window. */
export async function executeSweep(plan: SweepPlan, ctx: ExecuteContext<SweepState>): Promise<Execution<SweepState>> {
  const state: SweepState = { probes: [], databaseUrl: ctx.databaseUrl };
  const outcome = await withRoute(
    [...plan.vias],
    {
      databaseUrl: ctx.databaseUrl,
      poolSize: plan.pgbouncerPool,
      statementTimeoutMs: DEFAULTS.statementTimeoutMs,
      progress: ctx.progress,
    },
    (route) => {
      state.pgbouncer = pgbouncerInfo(route);
      const record = (window: ProbedWindow) => state.probes.push(window);
      return executeBenchmark(
        {
          rounds: plan.rounds,
          targets: [...plan.targets],
          loads: [...plan.loads],
          runner: plan.runner,
          databaseUrl: ctx.databaseUrl,
          connect: route.connect,
          // DB time of each measured window, with PgBouncer's pools when the target goes through it.
          probes: (target) => {
            const bouncer = route.pgbouncer && target.via === 'pgbouncer' ? route.pgbouncer : undefined;
            const pools = bouncer ? pgbouncerPoolsProbe(bouncer.adminUrl, route.database) : undefined;
            return [dbTimeProbe(record, pools), ...(pools ? [pools] : [])];
          },
          settings: plan.runner.tool === 'k6' ? { ...plan.settings, k6: { testId: ctx.runId } } : plan.settings,
          // The probes so far are in `state`: each partial file has the recommendation from the pools measured so far.
          ...benchmarkCheckpoint(ctx, (outcome) => ({ outcome, windowsPlanned: plannedWindows(plan), state })),
        },
        ctx.progress,
        ctx.signal,
      );
    },
  );
  return { outcome, state };
}
