import type { WindowSettings } from '../../window/measure.ts';
import type { LoadRunner } from '../../runners/types.ts';
import type { ScenarioName } from '../../../scenarios/catalog.ts';
import { dbSettings, recordedSettings, windowSettings, type BenchSettings } from '../bench-settings.ts';
import type { PlanBase } from '../types.ts';
import type { AdapterName } from '../../../src/adapters/registry.ts';
import type { CapacityDesign } from './design.ts';
import type { AdrStackDesign } from './stacks.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import { plannedDbConnections, withFactors, type TargetFactors } from '../../targets/factors.ts';
import type { TargetStyle } from '../../targets/styles.ts';

/** A target and its side of the comparison: its endpoint style (blocking: a second "before", judged like sync for now). */
export interface AdrRole {
  name: AdapterName | string;
  role: TargetStyle;
}

export const ADR_PATHS: readonly ScenarioName[] = ['create', 'search', 'stats', 'mixed']; // the ADR validated insertion, search, statistics

/** How phase 2 measures latency: k6 at a fixed arrival rate, or (without k6) a light closed-model load. */
export type AdrLatency =
  { k6: LoadRunner; rateFraction: number; fixedRate?: number } | { lightConnections: number; why: string };

/** The validated options of `jobbench adr` (the CLI checks that the baseline and k6 can load). */
export interface AdrInput extends BenchSettings {
  roles: readonly AdrRole[]; // the baseline first
  baseline: string;
  latencyTool: string;
  latency: AdrLatency;
  capacity: CapacityDesign | { skipped: string };
  autocannon: LoadRunner;
  k6Version?: string;
  /** --stack: the stacks compared, each with its baseline; absent: the roles above are one node stack. */
  stacks?: readonly AdrStackDesign[];
  stackNote?: string; // why a stack was left out
  targets?: readonly TargetSpec[]; // every stack's targets as specs (FastAPI ones with their interpreter)
  pythonTools?: Readonly<Record<string, string>>; // interpreter and module versions, for the environment
  factors?: TargetFactors; // --db-latency, --pool-max list, --threads, --workers: every target at every value
}

export interface AdrPlan extends PlanBase {
  readonly adapters: readonly AdrRole[];
  readonly baseline: string;
  readonly paths: readonly ScenarioName[];
  readonly rounds: number;
  readonly poolMax: number;
  readonly closedConnections: number; // the first of connections: phase 2's and the rates' reference
  readonly connections: readonly number[]; // closed-model concurrencies (the map's columns)
  readonly dbLatenciesMs?: readonly number[]; // --db-latency (the map's rows)
  readonly settings: WindowSettings; // warm-up and measured seconds of the closed and latency windows
  readonly autocannon: LoadRunner;
  readonly latency: AdrLatency;
  readonly capacity: CapacityDesign | { skipped: string };
  readonly stacks?: readonly AdrStackDesign[];
  readonly stackNote?: string;
  readonly targets?: readonly TargetSpec[];
}

export function planAdr(input: AdrInput): AdrPlan {
  const { latency } = input;
  const factors = input.factors ?? {};
  const targets = input.targets ? withFactors(input.targets, factors) : undefined;
  // An embedded database gets room for every pool at once (servers stay up across rounds when they fit).
  const maxConnections = targets ? plannedDbConnections(targets, true) + 20 : undefined;
  return Object.freeze({
    kind: 'adr',
    config: {
      ...recordedSettings(input),
      baseline: input.baseline,
      latencyTool: input.latencyTool,
      ...('k6' in latency
        ? { rateFraction: latency.rateFraction, ...(latency.fixedRate ? { rate: latency.fixedRate } : {}) }
        : { lightConnections: latency.lightConnections }),
      capacity: input.capacity,
      ...(input.stacks ? { stacks: input.stacks.map((s) => s.stack) } : {}),
      ...(Object.keys(factors).length > 0 ? { factors } : {}),
    },
    db: { ...dbSettings(input), ...(maxConnections ? { maxConnections } : {}) },
    ...(input.k6Version || input.pythonTools
      ? { extraTools: { ...(input.k6Version ? { k6: input.k6Version } : {}), ...input.pythonTools } }
      : {}),
    adapters: input.roles,
    baseline: input.baseline,
    paths: input.scenarios,
    rounds: input.rounds,
    poolMax: input.poolMax,
    closedConnections: input.connections[0]!,
    connections: [...input.connections],
    ...(factors.dbLatencyMs ? { dbLatenciesMs: [...factors.dbLatencyMs] } : {}),
    settings: windowSettings(input),
    autocannon: input.autocannon,
    latency,
    capacity: input.capacity,
    ...(input.stacks ? { stacks: input.stacks } : {}),
    ...(input.stackNote ? { stackNote: input.stackNote } : {}),
    ...(targets ? { targets } : {}),
  });
}
