import { loadavg } from 'node:os';
import { executeBenchmark } from '../../schedule/execute.ts';
import type { BenchmarkOutcome } from '../../schedule/plan.ts';
import { benchmarkCheckpoint } from '../checkpoint.ts';
import { mergeOutcomes, plannedWindows } from '../../schedule/outcome.ts';
import { runCapacitySearch, type CapacitySearchResult } from '../../levels/run-searches.ts';
import type { WindowSettings } from '../../window/measure.ts';
import type { LoadSpec } from '../../schedule/plan.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import type { ScenarioName } from '../../../scenarios/catalog.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import type { AdrCapacityRun, AdrDesign } from './design.ts';
import type { AdrPlan } from './plan.ts';
import { chooseRates } from './rates.ts';

export interface AdrExecution {
  outcome: BenchmarkOutcome;
  design: AdrDesign;
  capacity: AdrCapacityRun[];
}

/** What the ADR's analysis needs besides the cells. */
export type AdrState = Omit<AdrExecution, 'outcome'>;

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
  const { databaseUrl, progress, signal } = ctx;
  const targets: TargetSpec[] = plan.targets
    ? [...plan.targets]
    : plan.adapters.map((a) => ({ adapter: a.name, poolMax: plan.poolMax, metrics: 'on', via: 'direct' }));
  const baselines = plan.stacks ? plan.stacks.map((s) => s.baseline) : [plan.baseline];
  const design: AdrDesign = {
    baseline: plan.baseline,
    adapters: [...plan.adapters],
    paths: [...plan.paths],
    rounds: plan.rounds,
    closedConnections: plan.closedConnections,
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
  const loadStart = loadavg()[0]!; // other work on the machine shows here: the report prints it
  const stopped = (o: BenchmarkOutcome) => o.aborted || o.error !== undefined;
  const finish = (aborted: boolean, error?: string): AdrExecution => {
    design.loadAverage1m = { start: loadStart, end: loadavg()[0]! };
    const { cells, failedWindows } = mergeOutcomes(phases);
    return {
      outcome: { cells, aborted, ...(error ? { error } : {}), ...(failedWindows ? { failedWindows } : {}) },
      design,
      capacity,
    };
  };
  // Phases 1 and 2 each measure every path on every target in every round (phase 2 may reuse phase 1's);
  // how many levels the capacity searches take is not known in advance: with them, no planned count.
  const pathWindows = plannedWindows({ rounds: plan.rounds, targets, loads: plan.paths });
  const reused = !('k6' in plan.latency) && plan.latency.lightConnections === plan.closedConnections;
  const windowsPlanned = 'skipped' in plan.capacity ? pathWindows * (reused ? 1 : 2) : null;
  const phaseCheckpoint = (stage: string) =>
    benchmarkCheckpoint(ctx, (snapshot) => ({
      outcome: mergeOutcomes([...phases, snapshot]),
      windowsPlanned,
      stage: `adr ${stage}`,
      state: { design, capacity: [...capacity] },
    }));

  // --no-capacity: two phases, and the progress says so (#22: it said "phase 1/3")
  const of = 'skipped' in plan.capacity ? 2 : 3;
  progress.log(`adr phase 1/${of}: closed model, ${plan.closedConnections} connections, ${plan.paths.join(', ')}`);
  const closedLoads: LoadSpec[] = plan.paths.map((scenario) => ({ scenario, connections: plan.closedConnections }));
  const closed = await executeBenchmark(
    {
      rounds: plan.rounds,
      targets,
      loads: closedLoads,
      settings: plan.settings,
      runner: plan.autocannon,
      databaseUrl,
      ...phaseCheckpoint(`phase 1/${of}: closed model`),
    },
    progress,
    signal,
  );
  phases.push(closed);
  if (stopped(closed)) return finish(closed.aborted, closed.error);

  let latencyLoads: LoadSpec[];
  let latencyRunner: LoadRunner;
  if ('k6' in plan.latency) {
    // With two stacks, one rate per path for every target: the lower of the two baselines' (both sustain it).
    const { rateFraction, fixedRate } = plan.latency;
    const perBaseline = baselines.map((b) =>
      chooseRates(closed.cells, b, plan.paths, plan.closedConnections, rateFraction, fixedRate),
    );
    const rates = Object.fromEntries(plan.paths.map((p) => [p, Math.min(...perBaseline.map((r) => r[p]!))])) as Record<
      string,
      number
    >;
    design.latency = {
      model: 'open',
      tool: 'k6',
      ratesPerS: rates,
      rateRule:
        plan.latency.fixedRate !== undefined
          ? `The rate was given with --rate.`
          : `Each rate is ${Math.round(plan.latency.rateFraction * 100)}% of ${baselines.length > 1 ? `the lower of ${baselines.join("'s and ")}'s` : `${plan.baseline}'s`} median closed-model throughput on that path (phase 1), rounded down to two significant digits: a rate the sync baseline${baselines.length > 1 ? 's' : ''} can sustain.`,
    };
    latencyLoads = plan.paths.map((scenario) => ({
      scenario,
      connections: plan.closedConnections,
      rate: rates[scenario]!,
    }));
    latencyRunner = plan.latency.k6;
    progress.log(
      `adr phase 2/${of}: fixed arrival rate (k6), ${Object.entries(rates)
        .map(([p, r]) => `${p} ${r} req/s`)
        .join(', ')}`,
    );
  } else {
    const { lightConnections, why } = plan.latency;
    latencyLoads = plan.paths.map((scenario) => ({ scenario, connections: lightConnections }));
    latencyRunner = plan.autocannon;
    progress.log(`adr phase 2/${of}: no k6 (${why}): light closed-model load, ${lightConnections} connections`);
  }
  if (reused) {
    progress.log(`adr phase 2/${of}: same load as phase 1, reusing it`);
  } else {
    const settings = latencyRunner.tool === 'k6' ? k6Settings(plan.settings) : plan.settings;
    if (settings.warmupS !== plan.settings.warmupS || settings.durationS !== plan.settings.durationS)
      progress.log(
        `adr phase 2/${of}: k6 runs no window under 1 s: warm-up ${plan.settings.warmupS} s → ${settings.warmupS} s, measured ${plan.settings.durationS} s → ${settings.durationS} s`,
      );
    const latency = await executeBenchmark(
      {
        rounds: plan.rounds,
        targets,
        loads: latencyLoads,
        settings,
        runner: latencyRunner,
        databaseUrl,
        ...phaseCheckpoint(`phase 2/${of}: latency`),
      },
      progress,
      signal,
    );
    phases.push(latency);
    if (stopped(latency)) return finish(latency.aborted, latency.error);
  }

  if ('skipped' in plan.capacity) return finish(false);
  const c = plan.capacity;
  progress.log(
    `adr phase 3/3: capacity search on ${c.scenario} (p99 ≤ ${c.slo.p99Ms} ms, errors < ${c.slo.maxErrorRate * 100}%), ${c.rounds} round${c.rounds === 1 ? '' : 's'}`,
  );
  for (let round = 1; round <= c.rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + round - 1) % targets.length]!; // rotated, as in the other phases
      if (signal.aborted) return finish(true);
      const result = await runCapacitySearch({
        target,
        scenario: c.scenario as ScenarioName,
        databaseUrl,
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
            outcome: mergeOutcomes(phases),
            windowsPlanned,
            // Its levels are in the section, not in the cells (nor in windowsDone): the stage counts them.
            stage: `adr phase 3/3: capacity search ${capacity.length + 1} of ${c.rounds * targets.length}, ${search!.levels.length} level${search!.levels.length === 1 ? '' : 's'} measured in it`,
            state: { design, capacity: [...capacity, capacityRun(search!, round)] },
          }),
      });
      capacity.push(capacityRun(result, round));
      progress.log(
        `[capacity · round ${round}/${c.rounds} · ${target.adapter}] held ${result.heldConnections ?? 'no level'}: ${result.why}`,
      );
      if (result.stoppedBy === 'aborted') return finish(true);
      if (result.stoppedBy === 'error') return finish(true, result.error);
    }
  }
  return finish(false);
}

/** A capacity search as the ADR table keeps it (its levels, not its cells). */
function capacityRun(result: CapacitySearchResult, round: number): AdrCapacityRun {
  return {
    adapter: result.adapter,
    round,
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

/** k6 rejects scenario durations under 1 s; a zero warm-up stays zero (no warm-up window at all). */
function k6Settings(settings: WindowSettings): WindowSettings {
  return {
    ...settings,
    warmupS: settings.warmupS === 0 ? 0 : Math.max(1, settings.warmupS),
    durationS: Math.max(1, settings.durationS),
  };
}
