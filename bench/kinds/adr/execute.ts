import { loadavg } from 'node:os';
import { executeBenchmark } from '../../schedule/execute.ts';
import type { BenchmarkOutcome } from '../../schedule/plan.ts';
import { benchmarkCheckpoint } from '../checkpoint.ts';
import { labelOf, mergeOutcomes, plannedWindows } from '../../schedule/outcome.ts';
import { prepareDbPaths, type DbPaths } from '../../schedule/db-paths.ts';
import { dbTimeProbe } from '../../window/probes/db-time.ts';
import type { LoadSpec } from '../../schedule/plan.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import type { AdrCapacityRun, AdrDbTime, AdrDesign, AdrState } from './design.ts';
import type { AdrPlan } from './plan.ts';
import { k6Settings, latencyGroups, openLatencyDesign } from './latency-phase.ts';
import { adrParts, adrTargets } from './estimate.ts';
import { totalOf } from '../../schedule/estimate.ts';
import { formatDurationRange } from '../../host/progress.ts';
import { runCapacityPhase } from './capacity-phase.ts';

export interface AdrExecution extends AdrState {
  outcome: BenchmarkOutcome;
}
export type { AdrState };

/** The adr kind's execute: the three phases. */
export async function executeAdrKind(plan: AdrPlan, ctx: ExecuteContext<AdrState>): Promise<Execution<AdrState>> {
  const { outcome, ...state } = await executeAdr(plan, ctx);
  return { outcome, state };
}

/**
 * The ADR comparison in three phases, each interleaved (rounds outside, adapters inside, rotated):
 * 1. closed model (autocannon): throughput, latency under load, event-loop delay, CPU per request;
 * 2. latency at a fixed arrival rate (k6, rates from phase 1), or a light closed load without k6;
 * 3. max connections: one capacity search per adapter per round (bench/capacity).
 * Stops at the first phase that is interrupted or fails, keeping what was measured. After every
 * window of phases 1–2 and every level of phase 3, hands the shell a checkpoint (partial results).
 */
export async function executeAdr(plan: AdrPlan, ctx: ExecuteContext<AdrState>): Promise<AdrExecution> {
  const targets = adrTargets(plan);
  // Pools checked against max_connections; --db-latency proxies; servers kept up when every pool fits.
  const paths = await prepareDbPaths(targets, ctx, { wantKept: true, env: process.env });
  try {
    return await executePhases(plan, ctx, targets, paths);
  } finally {
    await paths.stop();
  }
}

async function executePhases(
  plan: AdrPlan,
  ctx: ExecuteContext<AdrState>,
  targets: TargetSpec[],
  paths: DbPaths,
): Promise<AdrExecution> {
  const { databaseUrl, progress, signal } = ctx;
  const design: AdrDesign = {
    baseline: plan.baseline,
    adapters: [...plan.adapters],
    paths: [...plan.paths],
    rounds: plan.rounds,
    closedConnections: plan.closedConnections,
    connections: [...plan.connections],
    ...(plan.dbLatenciesMs ? { dbLatenciesMs: [...plan.dbLatenciesMs] } : {}),
    servers: paths.serversWhy,
    latency:
      'k6' in plan.latency
        ? { model: 'open', tool: 'k6', ratesPerS: {}, rateRule: '' }
        : { model: 'closed', tool: 'autocannon', connections: plan.latency.lightConnections, why: plan.latency.why },
    capacity: plan.capacity,
    ...(plan.stacks ? { stacks: plan.stacks.map((s) => ({ ...s, adapters: [...s.adapters] })) } : {}),
    ...(plan.stackNote ? { stackNote: plan.stackNote } : {}),
  };
  const phases: BenchmarkOutcome[] = []; // phases 1 and 2 (capacity searches keep their levels in `capacity`)
  const capacity: AdrCapacityRun[] = [];
  const dbTime: AdrDbTime[] = [];
  const loadStart = loadavg()[0]!; // other work on the machine shows here: the report prints it
  const stopped = (o: BenchmarkOutcome) => o.aborted || o.error !== undefined;
  const finish = (aborted: boolean, error?: string): AdrExecution => {
    design.loadAverage1m = { start: loadStart, end: loadavg()[0]! };
    const { cells, failedWindows } = mergeOutcomes(phases);
    return {
      outcome: { cells, aborted, ...(error ? { error } : {}), ...(failedWindows ? { failedWindows } : {}) },
      design,
      capacity,
      dbTime,
    };
  };
  const closedLoads: LoadSpec[] = plan.paths.flatMap((scenario) =>
    plan.connections.map((connections) => ({ scenario, connections })),
  );
  // Phases 1 and 2 each measure every load on every target in every round (phase 2 may reuse phase 1's);
  // how many levels the capacity searches take is not known in advance: with them, no planned count.
  const closedWindows = plannedWindows({ rounds: plan.rounds, targets, loads: closedLoads });
  const latencyWindows = plannedWindows({ rounds: plan.rounds, targets, loads: plan.paths });
  const reused = !('k6' in plan.latency) && plan.latency.lightConnections === plan.closedConnections;
  const windowsPlanned = 'skipped' in plan.capacity ? closedWindows + (reused ? 0 : latencyWindows) : null;
  const phaseCheckpoint = (stage: string) =>
    benchmarkCheckpoint(ctx, (snapshot) => ({
      outcome: mergeOutcomes([...phases, snapshot]),
      windowsPlanned,
      stage: `adr ${stage}`,
      state: { design, capacity: [...capacity], dbTime: [...dbTime] },
    }));
  // Every window of phases 1 and 2: the target's own DB time per call (L of the Little's-law bounds).
  const common = {
    rounds: plan.rounds,
    databaseUrl,
    keepServers: paths.keepServers,
    ...(paths.connect ? { connect: paths.connect } : {}),
    probes: (spec: TargetSpec, load: LoadSpec) => [
      dbTimeProbe((w) => {
        if (w.dbTimeUsPerCall === null) return;
        dbTime.push({
          adapter: spec.adapter,
          ...(targetLabel(spec) ? { label: targetLabel(spec)! } : {}),
          poolMax: spec.poolMax,
          ...(spec.dbLatencyMs === undefined ? {} : { dbLatencyMs: spec.dbLatencyMs }),
          scenario: load.scenario,
          connections: load.connections,
          ...(load.rate === undefined ? {} : { rate: load.rate }),
          usPerCall: w.dbTimeUsPerCall,
        });
      }),
    ],
  };

  // --no-capacity: two phases, and the progress says so (#22: it said "phase 1/3")
  const of = 'skipped' in plan.capacity ? 2 : 3;
  // The time left covers the whole run: each phase's benchmark counts the later phases' estimate too
  // (phase 3 at its fewest levels: how many it takes is decided while it runs).
  const parts = adrParts(plan, paths.keepServers);
  const [least, most] = totalOf(parts);
  const after = (i: number) => totalOf(parts.slice(i))[0];
  progress.log(`adr: ${of} phases, estimated ${formatDurationRange(least, most)} (--dry-run prints the plan)`);
  progress.log(
    `adr phase 1/${of}: closed model, ${plan.connections.join(', ')} connections, ${plan.paths.join(', ')}${plan.dbLatenciesMs ? `, DB latency +${plan.dbLatenciesMs.join(', +')} ms` : ''}; ${paths.serversWhy}`,
  );
  const closed = await executeBenchmark(
    {
      ...common,
      targets,
      loads: closedLoads,
      settings: plan.settings,
      runner: plan.autocannon,
      laterS: after(1),
      ...phaseCheckpoint(`phase 1/${of}: closed model`),
    },
    progress,
    signal,
  );
  phases.push(closed);
  if (stopped(closed)) return finish(closed.aborted, closed.error);

  if (reused) {
    progress.log(`adr phase 2/${of}: same load as phase 1, reusing it`);
  } else if ('k6' in plan.latency) {
    const groups = latencyGroups(plan, targets, closed.cells, plan.latency);
    design.latency = openLatencyDesign(plan, groups);
    const settings = k6Settings(plan.settings);
    if (settings.warmupS !== plan.settings.warmupS || settings.durationS !== plan.settings.durationS)
      progress.log(
        `adr phase 2/${of}: k6 runs no window under 1 s: warm-up ${plan.settings.warmupS} s → ${settings.warmupS} s, measured ${plan.settings.durationS} s → ${settings.durationS} s`,
      );
    for (const [g, group] of groups.entries()) {
      progress.log(
        `adr phase 2/${of}: fixed arrival rate (k6)${group.dbLatencyMs === undefined ? '' : `, DB +${group.dbLatencyMs} ms`}, ${Object.entries(
          group.rates,
        )
          .map(([p, r]) => `${p} ${r} req/s`)
          .join(', ')}`,
      );
      const latency = await executeBenchmark(
        {
          ...common,
          targets: group.targets,
          loads: group.loads,
          settings,
          runner: plan.latency.k6,
          laterS: (parts[1]!.seconds * (groups.length - 1 - g)) / groups.length + after(2),
          ...phaseCheckpoint(`phase 2/${of}: latency`),
        },
        progress,
        signal,
      );
      phases.push(latency);
      if (stopped(latency)) return finish(latency.aborted, latency.error);
    }
  } else {
    const { lightConnections, why } = plan.latency;
    progress.log(`adr phase 2/${of}: no k6 (${why}): light closed-model load, ${lightConnections} connections`);
    const latency = await executeBenchmark(
      {
        ...common,
        targets,
        loads: plan.paths.map((scenario) => ({ scenario, connections: lightConnections })),
        settings: plan.settings,
        runner: plan.autocannon,
        laterS: after(2),
        ...phaseCheckpoint(`phase 2/${of}: latency`),
      },
      progress,
      signal,
    );
    phases.push(latency);
    if (stopped(latency)) return finish(latency.aborted, latency.error);
  }

  if ('skipped' in plan.capacity) return finish(false);
  const searches = parts.at(-1)!;
  progress.log(`adr phase 3/3: ~${formatDurationRange(searches.seconds, searches.upToS)} left: ${searches.what}`);
  const ended = await runCapacityPhase(
    {
      plan,
      capacity: plan.capacity,
      targets,
      ...(paths.connect ? { connect: paths.connect } : {}),
      phases,
      windowsPlanned,
      design,
      state: () => ({ dbTime: [...dbTime] }),
      runs: capacity,
    },
    ctx,
  );
  if (ended === 'done') return finish(false);
  return ended === 'aborted' ? finish(true) : finish(true, ended.error);
}

/** What tells targets of one adapter apart in the map: threads, workers (as the cells' labels). */
function targetLabel(spec: TargetSpec): string | undefined {
  return labelOf({}, spec, { scenario: 'health', connections: 1 });
}
