import type { BenchmarkPlan } from '../../schedule/plan.ts';
import type { FaultSchedule } from '../../faults/schedule.ts';
import type { LoadSpec } from '../../schedule/plan.ts';
import type { MetricsMode } from '../../results/types.ts';
import type { LoadRunner } from '../../runners/types.ts';
import { shedOf, type TargetSpec } from '../../targets/spec.ts';
import { withSyncWorkers } from '../../targets/workers.ts';
import { plannedDbConnections, withFactors, type TargetFactors } from '../../targets/factors.ts';
import { fastapiEnvironment, targetSpecs, type ExternalTarget, type FastapiChoice } from '../../targets/select.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { PlanBase } from '../types.ts';
import type { CpuPlacement } from '../../results/cpu.ts';

export const RUN_METRICS_MODES = ['on', 'off', 'both'] as const;
export type RunMetricsMode = (typeof RUN_METRICS_MODES)[number];

/** The validated options of `jobbench run` (the CLI reads them from flags). */
export interface RunInput extends BenchSettings {
  metrics: RunMetricsMode;
  rates?: readonly number[]; // k6 open model: one cell per rate
  k6?: { instances?: number; prometheusRw?: string; thresholds?: Record<string, string[]> };
  runner: LoadRunner;
  runners?: readonly LoadRunner[]; // --tool a,b: several tools interleaved in each round (runner is the first)
  syncWorkers?: readonly number[]; // pg-sync processes, one target per value (default: pool max)
  thinkTimeMs?: number; // concurrent users: each VU sleeps this long between requests (k6)
  ceilings?: boolean; // measure the machine's ceilings before the windows (default true; --no-ceilings)
  cpuProfile?: boolean; // --cpu-profile: a .cpuprofile of the server per measured window
  cpus?: CpuPlacement; // --cpus server=…,generator=…,db=…
  fastapi?: readonly FastapiChoice[]; // FastAPI targets named in --adapters, with their interpreter
  external?: readonly ExternalTarget[]; // --target label=URL
  contract?: 'strict' | 'warn'; // --contract: how external targets that differ from the contract are treated
  faults?: readonly FaultSchedule[]; // --fault: one cell per schedule (a dimension, like the scenario)
  shed?: readonly ('on' | 'off')[]; // --shed on,off: each Node target with load shedding on and off, interleaved
  factors?: TargetFactors; // --db-latency, --pool-max list, --threads, --workers: every target at every value
}

export interface RunPlan extends PlanBase {
  readonly metrics: RunMetricsMode;
  readonly benchmark: Readonly<Omit<BenchmarkPlan, 'databaseUrl'>>;
  readonly k6?: RunInput['k6'];
  readonly ceilings: boolean;
  readonly cpuProfile: boolean;
  readonly cpus?: CpuPlacement;
}

/** Targets = adapters × metrics modes; loads = scenarios × (connections or arrival rates) × fault schedules. */
export function planRun(input: RunInput): RunPlan {
  const modes: MetricsMode[] = input.metrics === 'both' ? ['on', 'off'] : [input.metrics];
  const targets: TargetSpec[] = withFactors(
    withSyncWorkers(
      targetSpecs({
        adapters: input.adapters,
        ...(input.fastapi ? { fastapi: input.fastapi } : {}),
        ...(input.external ? { external: input.external } : {}),
        ...(input.contract ? { contract: input.contract } : {}),
        poolMax: input.poolMax,
        metrics: 'on',
        scenarios: input.scenarios,
      })
        .flatMap((spec) => modes.map((metrics) => ({ ...spec, metrics })))
        .flatMap((spec) => withShed(spec, input.shed)),
      input.syncWorkers,
    ),
    input.factors ?? {},
  );
  const python = fastapiEnvironment(input.fastapi ?? []);
  const think: Pick<LoadSpec, 'thinkTimeMs'> =
    input.thinkTimeMs === undefined ? {} : { thinkTimeMs: input.thinkTimeMs };
  const shapes: LoadSpec[] = input.scenarios.flatMap((scenario) =>
    input.rates
      ? input.rates.map((rate): LoadSpec => ({ scenario, connections: input.connections[0]!, rate }))
      : input.connections.map((connections): LoadSpec => ({ scenario, connections, ...think })),
  );
  const loads = input.faults?.length ? shapes.flatMap((l) => input.faults!.map((fault) => ({ ...l, fault }))) : shapes;
  const { rates, k6 } = input;
  return Object.freeze({
    kind: 'run',
    metrics: input.metrics,
    config: {
      ...recordedSettings(input),
      metrics: input.metrics,
      ...(input.runners && input.runners.length > 1 ? { tools: input.runners.map((r) => r.tool) } : {}),
      ...(rates ? { rates } : {}),
      ...(k6?.instances ? { k6Instances: k6.instances } : {}),
      ...(input.syncWorkers ? { syncWorkers: input.syncWorkers } : {}),
      ...think,
      ceilings: input.ceilings ?? true,
      ...(input.cpuProfile ? { cpuProfile: true } : {}),
      ...(input.cpus ? { cpus: input.cpus } : {}),
      ...(input.fastapi?.length ? { fastapiTargets: input.fastapi.map((f) => f.name) } : {}),
      ...(input.external?.length ? { externalTargets: input.external.map((e) => ({ ...e })) } : {}),
      ...(input.contract === 'warn' ? { contract: 'warn' } : {}),
      ...(input.noSeed ? { noSeed: true } : {}),
      ...(input.allowDbRestart ? { allowDbRestart: true } : {}),
      ...(input.faults?.length ? { faults: input.faults.map((f) => f.faults.map((x) => x.spec).join(',')) } : {}),
      ...(input.shed ? { shed: input.shed } : {}),
      ...(input.factors && Object.keys(input.factors).length > 0 ? { factors: input.factors } : {}),
    },
    ceilings: input.ceilings ?? true,
    cpuProfile: input.cpuProfile ?? false,
    ...(input.cpus ? { cpus: input.cpus } : {}),
    db: { ...dbSettings(input), maxConnections: plannedDbConnections(targets, false) + 20 },
    ...(Object.keys(python).length > 0 ? { extraTools: python } : {}),
    benchmark: {
      rounds: input.rounds,
      targets,
      loads,
      runner: input.runner,
      ...(input.runners && input.runners.length > 1 ? { runners: input.runners } : {}),
      settings: windowSettings(input),
      ...targetLabel(input),
    },
    ...(k6 ? { k6 } : {}),
  });
}

/** Only jobbench's own servers have load shedding: a FastAPI or external target is measured as it is. */
function withShed(spec: TargetSpec, shed: RunInput['shed']): TargetSpec[] {
  if (!shed || (spec.kind ?? 'node') !== 'node') return [spec];
  return shed.map((mode) => ({ ...spec, shed: mode }));
}

/** What tells rows of one table apart when a target dimension varies: "metrics off · shed on". */
function targetLabel(input: RunInput): { label?: (t: TargetSpec) => string } {
  const metrics = input.metrics === 'both';
  const shed = (input.shed?.length ?? 0) > 1;
  if (!metrics && !shed) return {};
  return {
    label: (t) =>
      [metrics ? `metrics ${t.metrics}` : '', shed && shedOf(t) ? `shed ${shedOf(t)}` : ''].filter(Boolean).join(' · '),
  };
}
