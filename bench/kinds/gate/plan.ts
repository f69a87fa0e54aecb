import type { BenchmarkPlan } from '../../schedule/plan.ts';
import type { Thresholds } from '../../compare/thresholds.ts';
import type { LoadSpec } from '../../schedule/plan.ts';
import type { Side } from '../../results/types.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { RevisionTargetSpec } from '../../targets/spec.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { PlanBase } from '../types.ts';
import type { Revision } from './revision.ts';

/** The instructions-per-request count of a gate (bench/instructions/): null when --instructions off. */
export interface GateInstructionsInput {
  starts: number; // server starts per side
  warmupRequests: number; // per scenario and start, instrumentation off
  requests: number; // counted, per scenario and start
  thresholdPct: number; // a change of the median beyond ± this is a verdict
}

/** What one side of a gate measures: a revision (null commit: the working tree) and its server settings. */
export interface GateSideInput {
  revision: Revision;
  env: Readonly<Record<string, string>>; // extra server environment, e.g. JOBBENCH_INJECT_CPU_US (--head-env)
  poolMax?: number; // this side's servers only (--head-pool-max); the cells keep the shared poolMax
}

/** The validated options of `jobbench gate` (the CLI resolves the refs before planning). */
export interface GateInput extends BenchSettings {
  base: GateSideInput;
  head: GateSideInput;
  thresholds: Thresholds;
  runner: LoadRunner;
  instructions: GateInstructionsInput | null;
}

export interface GatePlan extends PlanBase {
  readonly sides: Readonly<Record<Side, GateSideInput>>;
  readonly thresholds: Thresholds;
  readonly instructions: Readonly<GateInstructionsInput> | null;
  /** Targets without their checkout (`root`): execute() adds it once the worktrees exist. */
  readonly benchmark: Readonly<Omit<BenchmarkPlan, 'databaseUrl' | 'targets'>> & { targets: GateTarget[] };
}

export const SIDE_ORDER: readonly Side[] = ['base', 'head'];

/** A gate side's target before its checkout exists: execute() adds `root` once the worktree is made. */
export type GateTarget = Omit<RevisionTargetSpec, 'root'> & { side: Side };

/** Targets = adapters × {base, head}, interleaved and rotated per round like every run; loads = scenarios × connections. */
export function planGate(input: GateInput): GatePlan {
  const sides = { base: input.base, head: input.head };
  const targets: GateTarget[] = input.adapters.flatMap((adapter) =>
    SIDE_ORDER.map((side) => ({
      kind: 'revision' as const,
      adapter,
      poolMax: input.poolMax,
      metrics: 'on' as const, // queries per request are counted from the server's own metrics
      via: 'direct' as const,
      side,
      ...(sides[side].poolMax !== undefined ? { serverPoolMax: sides[side].poolMax } : {}),
    })),
  );
  const loads: LoadSpec[] = input.scenarios.flatMap((scenario) =>
    input.connections.map((connections) => ({ scenario, connections })),
  );
  const recordSide = (s: GateSideInput) => ({
    ref: s.revision.ref,
    commit: s.revision.commit,
    ...(Object.keys(s.env).length > 0 ? { env: s.env } : {}),
    ...(s.poolMax !== undefined ? { poolMax: s.poolMax } : {}),
  });
  return Object.freeze({
    kind: 'gate',
    sides,
    thresholds: input.thresholds,
    instructions: input.instructions,
    config: {
      ...recordedSettings(input),
      base: recordSide(input.base),
      head: recordSide(input.head),
      instructions: input.instructions,
    },
    db: dbSettings(input),
    benchmark: { rounds: input.rounds, targets, loads, runner: input.runner, settings: windowSettings(input) },
  });
}
