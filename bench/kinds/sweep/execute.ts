import { executeBenchmark } from '../../benchmark.ts';
import { benchmarkCheckpoint, plannedWindows } from '../../checkpoint.ts';
import { pgbouncerInfo, withRoute } from '../../pgbouncer/via.ts';
import { DEFAULTS } from '../../../src/config.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import type { SweepAnalysis } from './analyze.ts';
import { probingRunner, type ProbedWindow } from './db-time-probe.ts';
import type { SweepPlan } from './plan.ts';

/** What the sweep's analysis needs besides the cells. */
export interface SweepState {
  probes: ProbedWindow[]; // DB time per window, read from the server's metrics
  pgbouncer?: SweepAnalysis['pgbouncer'];
  databaseUrl: string; // where PostgreSQL runs decides the cores rule of thumb
}

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
      const probe = probingRunner(plan.runner, {
        warmup: plan.warmup,
        ...(route.pgbouncer ? { pgbouncer: { adminUrl: route.pgbouncer.adminUrl, database: route.database } } : {}),
      });
      state.probes = probe.windows;
      return executeBenchmark(
        {
          rounds: plan.rounds,
          targets: [...plan.targets],
          loads: [...plan.loads],
          runner: probe.runner,
          databaseUrl: ctx.databaseUrl,
          connect: (target) => {
            probe.visiting(target);
            return route.connect(target);
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
