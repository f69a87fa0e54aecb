import { runCapacitySearch, type CapacitySearchResult } from '../../levels/run-searches.ts';
import type { BenchmarkOutcome } from '../../schedule/plan.ts';
import { mergeOutcomes } from '../../schedule/outcome.ts';
import type { TargetConnection, TargetSpec } from '../../targets/spec.ts';
import type { ScenarioName } from '../../../scenarios/catalog.ts';
import type { ExecuteContext } from '../types.ts';
import type { AdrCapacityRun, AdrDesign, AdrState, CapacityDesign } from './design.ts';
import type { AdrPlan } from './plan.ts';

/** What phase 3 shares with the phases before it. */
export interface CapacityPhaseInput {
  plan: AdrPlan;
  capacity: CapacityDesign;
  targets: readonly TargetSpec[];
  connect?: (spec: TargetSpec) => TargetConnection;
  phases: readonly BenchmarkOutcome[];
  windowsPlanned: number | null;
  design: AdrDesign;
  state: () => Omit<AdrState, 'design' | 'capacity'>;
  runs: AdrCapacityRun[]; // filled as searches end
}

/**
 * Phase 3: one capacity search per target per round, targets rotated each round as in the other phases.
 * Returns how it ended: 'done', 'aborted', or the error that stopped a search.
 */
export async function runCapacityPhase(
  input: CapacityPhaseInput,
  ctx: ExecuteContext<AdrState>,
): Promise<'done' | 'aborted' | { error: string }> {
  const { plan, capacity: c, targets, runs } = input;
  const { progress, signal } = ctx;
  progress.log(
    `adr phase 3/3: capacity search on ${c.scenario} (p99 ≤ ${c.slo.p99Ms} ms, errors < ${c.slo.maxErrorRate * 100}%), ${c.rounds} round${c.rounds === 1 ? '' : 's'}`,
  );
  // Each level starts a fresh server: a pool that opened connections only as the window needed them
  // would measure connection start-up (at +50 ms, ~645 ms for SQLAlchemy + asyncpg, ~270 ms for psycopg2:
  // results/reference/adr-idle-users-lockstep and its successor), not capacity. FastAPI targets open their
  // whole pool before they answer (JOBBENCH_POOL_FILL=open: a fixed-size pool, as HikariCP advises).
  const fullPools = (spec: TargetSpec): TargetConnection => {
    const conn = input.connect?.(spec) ?? { databaseUrl: ctx.databaseUrl };
    return c.poolFill === 'open' ? { ...conn, env: { ...conn.env, JOBBENCH_POOL_FILL: 'open' } } : conn;
  };
  for (let round = 1; round <= c.rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + round - 1) % targets.length]!; // rotated, as in the other phases
      if (signal.aborted) return 'aborted';
      const result = await runCapacitySearch({
        target,
        scenario: c.scenario as ScenarioName,
        databaseUrl: ctx.databaseUrl,
        connect: fullPools,
        runner: c.thinkTimeMs !== undefined && 'k6' in plan.latency ? plan.latency.k6 : plan.autocannon,
        ...(c.thinkTimeMs === undefined ? {} : { thinkTimeMs: c.thinkTimeMs }),
        settings: { ...plan.settings, ...c.windowS },
        slo: c.slo,
        maxConnections: c.maxConnections,
        startConnections: c.startConnections,
        resolution: c.resolution,
        progress,
        signal,
        onLevel: async ([search]) =>
          ctx.checkpoint?.({
            outcome: mergeOutcomes([...input.phases]),
            windowsPlanned: input.windowsPlanned,
            // Its levels are in the section, not in the cells (nor in windowsDone): the stage counts them.
            stage: `adr phase 3/3: capacity search ${runs.length + 1} of ${c.rounds * targets.length}, ${search!.levels.length} level${search!.levels.length === 1 ? '' : 's'} measured in it`,
            state: { ...input.state(), design: input.design, capacity: [...runs, capacityRun(search!, round, target)] },
          }),
      });
      runs.push(capacityRun(result, round, target));
      progress.log(
        `[capacity · round ${round}/${c.rounds} · ${target.adapter}${target.dbLatencyMs === undefined ? '' : ` · DB +${target.dbLatencyMs} ms`}] held ${result.heldConnections ?? 'no level'}: ${result.why}`,
      );
      if (result.stoppedBy === 'aborted') return 'aborted';
      if (result.stoppedBy === 'error') return { error: result.error ?? 'capacity search failed' };
    }
  }
  return 'done';
}

/** A capacity search as the ADR table keeps it (its levels, not its cells). */
function capacityRun(result: CapacitySearchResult, round: number, target: TargetSpec): AdrCapacityRun {
  return {
    adapter: result.adapter,
    round,
    ...(target.dbLatencyMs === undefined ? {} : { dbLatencyMs: target.dbLatencyMs }),
    heldConnections: result.heldConnections,
    stoppedBy: result.stoppedBy,
    why: result.why,
    levels: result.curve.map((l) => ({
      connections: l.connections,
      requestsPerSec: l.requestsPerSec,
      p99Ms: l.p99Ms,
      errorRate: l.errorRate,
      held: l.held,
      breach: l.breach,
    })),
    ...(result.error ? { error: result.error } : {}),
  };
}
