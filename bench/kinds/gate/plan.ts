import type { BenchmarkPlan } from '../../schedule/plan.ts';
import type { Thresholds } from '../../compare/thresholds.ts';
import type { LoadSpec } from '../../schedule/plan.ts';
import type { Side } from '../../results/types.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { ExternalTargetSpec, RevisionTargetSpec } from '../../targets/spec.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { PlanBase } from '../types.ts';
import type { Revision } from './revision.ts';
import { gateExtension, gateLooks } from './sequential.ts';

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
  /** A running deployment instead of a revision (--base-target): nothing checked out, started or seeded. */
  external?: { label: string; url: string; applicationName?: string; databaseUrl?: string };
}

/** The validated options of `jobbench gate` (the CLI resolves the refs before planning). */
export interface GateInput extends BenchSettings {
  base: GateSideInput;
  head: GateSideInput;
  thresholds: Thresholds;
  runner: LoadRunner;
  maxRounds: number; // sequential cap: undecided cells get more rounds up to this (= rounds: one look)
  /** --tool k6 --rate N: an open model at N requests/s, so that CPU per request measures work, not a core share. */
  rate?: number;
  instructions: GateInstructionsInput | null;
  /**
   * --db-latency L: every revision target reaches its side's database through Toxiproxy, L ms added per
   * round trip (bench/faults/db-latency.ts), so that a change a local database hides (a smaller pool)
   * shows. The instruction count keeps the direct path (a count does not depend on waiting).
   */
  dbLatencyMs?: number;
}

export interface GatePlan extends PlanBase {
  readonly sides: Readonly<Record<Side, GateSideInput>>;
  readonly thresholds: Thresholds;
  readonly maxRounds: number;
  readonly looks: number; // decisions the gate may take (bench/kinds/gate/sequential.ts): each at alpha / looks
  readonly instructions: Readonly<GateInstructionsInput> | null;
  readonly dbLatencyMs?: number; // --db-latency: every revision target carries it too (its cells' dimension)
  /** Targets without their checkout (`root`): execute() adds it once the worktrees exist. */
  readonly benchmark: Readonly<Omit<BenchmarkPlan, 'databaseUrl' | 'targets'>> & { targets: GateTarget[] };
}

export const SIDE_ORDER: readonly Side[] = ['base', 'head'];

/** A gate side's target before its checkout exists (execute() adds `root` once the worktree is made), or a running deployment. */
export type GateTarget = (Omit<RevisionTargetSpec, 'root'> | ExternalTargetSpec) & { side: Side };

/** Targets = adapters × {base, head}, interleaved and rotated per round like every run; loads = scenarios × connections. */
export function planGate(input: GateInput): GatePlan {
  const sides = { base: input.base, head: input.head };
  const external = (side: Side): GateTarget => {
    const e = sides[side].external!;
    return {
      kind: 'external',
      adapter: e.label,
      url: e.url,
      ...(e.applicationName ? { applicationName: e.applicationName } : {}),
      poolMax: input.poolMax,
      metrics: 'on',
      via: 'direct',
      side,
      probeScenarios: input.scenarios,
    };
  };
  const targets: GateTarget[] = input.base.external
    ? SIDE_ORDER.map(external)
    : input.adapters.flatMap((adapter) =>
        SIDE_ORDER.map((side) => ({
          kind: 'revision' as const,
          adapter,
          poolMax: input.poolMax,
          metrics: 'on' as const, // queries per request are counted from the server's own metrics
          via: 'direct' as const,
          side,
          ...(sides[side].poolMax !== undefined ? { serverPoolMax: sides[side].poolMax } : {}),
          ...(input.dbLatencyMs !== undefined ? { dbLatencyMs: input.dbLatencyMs } : {}),
        })),
      );
  const loads: LoadSpec[] = input.scenarios.flatMap((scenario) =>
    input.rate === undefined
      ? input.connections.map((connections) => ({ scenario, connections }))
      : [{ scenario, connections: input.connections[0]!, rate: input.rate }],
  );
  const recordSide = (s: GateSideInput) => ({
    ...(s.external ? { url: s.external.url } : {}),
    ref: s.revision.ref,
    commit: s.revision.commit,
    ...(Object.keys(s.env).length > 0 ? { env: s.env } : {}),
    ...(s.poolMax !== undefined ? { poolMax: s.poolMax } : {}),
  });
  const looks = gateLooks(input.rounds, input.maxRounds);
  return Object.freeze({
    kind: 'gate',
    sides,
    thresholds: input.thresholds,
    maxRounds: input.maxRounds,
    looks,
    instructions: input.instructions,
    ...(input.dbLatencyMs !== undefined ? { dbLatencyMs: input.dbLatencyMs } : {}),
    config: {
      ...recordedSettings(input),
      maxRounds: input.maxRounds,
      looks,
      base: recordSide(input.base),
      head: recordSide(input.head),
      instructions: input.instructions,
      ...(input.dbLatencyMs !== undefined ? { dbLatencyMs: input.dbLatencyMs } : {}),
    },
    db: dbSettings(input),
    benchmark: {
      rounds: input.rounds,
      targets,
      loads,
      runner: input.runner,
      settings: windowSettings(input),
      // One server per side for the whole gate: more of its time measures, and both sides carry the same warm state.
      keepServers: true,
      extend: gateExtension(input.maxRounds, { thresholds: input.thresholds, paired: { looks } }),
    },
  });
}
