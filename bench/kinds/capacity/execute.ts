import type { BenchmarkOutcome } from '../../schedule/plan.ts';
import { pgbouncerInfo, withRoute } from '../../pgbouncer/via.ts';
import { DEFAULTS } from '../../../src/config.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import type { CapacityState } from './analyze.ts';
import { ensureFdLimit } from '../../host/fd-limit.ts';
import type { CapacityPlan } from './plan.ts';
import { runCapacitySearches } from '../../levels/run-searches.ts';

/** Every target's search, interleaved, over each route (direct, PgBouncer). */
export async function executeCapacity(
  plan: CapacityPlan,
  ctx: ExecuteContext<CapacityState>,
): Promise<Execution<CapacityState>> {
  const state: CapacityState = { searches: [], fd: ensureFdLimit(plan.maxConnections, plan.poolMax) };
  const outcome = await withRoute(
    [...plan.vias],
    {
      databaseUrl: ctx.databaseUrl,
      poolSize: plan.poolMax,
      statementTimeoutMs: DEFAULTS.statementTimeoutMs,
      progress: ctx.progress,
    },
    async (route): Promise<BenchmarkOutcome> => {
      state.pgbouncer = pgbouncerInfo(route);
      const results = await runCapacitySearches({
        targets: [...plan.targets],
        scenario: plan.scenario,
        databaseUrl: ctx.databaseUrl,
        connect: route.connect,
        runner: plan.runner,
        settings: plan.settings,
        slo: plan.slo,
        maxConnections: plan.maxConnections,
        startConnections: plan.startConnections,
        rounds: plan.roundsPerLevel,
        ...(plan.thinkTimeMs === undefined ? {} : { thinkTimeMs: plan.thinkTimeMs }),
        progress: ctx.progress,
        signal: ctx.signal,
        // How many levels a search takes is known only when it converges: no planned count.
        onLevel: async (searches) =>
          ctx.checkpoint?.({
            outcome: { cells: searches.flatMap((s) => s.cells), aborted: false },
            windowsPlanned: null,
            stage: `capacity: ${searches.filter((s) => s.stoppedBy !== 'running').length} of ${searches.length} searches finished`,
            state: { ...state, searches },
          }),
      });
      state.searches.push(...results);
      const error = state.searches.find((s) => s.error)?.error;
      return {
        cells: state.searches.flatMap((s) => s.cells),
        aborted: ctx.signal.aborted || state.searches.some((s) => s.stoppedBy === 'aborted' || s.stoppedBy === 'error'),
        ...(error ? { error } : {}),
      };
    },
  );
  return { outcome, state };
}
