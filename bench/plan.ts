import type { ScenarioName } from '../scenarios/catalog.ts';
import type { FaultSchedule } from './faults/schedule.ts';
import type { Tool } from './results/types.ts';
import type { TargetSpec } from './target.ts';

/** One load shape measured against every target: a scenario at a concurrency (or an arrival rate). */
export interface LoadSpec {
  scenario: ScenarioName;
  connections: number;
  rate?: number; // open model (k6): requests/s
  thinkTimeMs?: number; // concurrent users (k6 constant-vus): each sleeps this long between requests
  fault?: FaultSchedule; // injected into every measured window of this load (--fault)
}

/** The text that names a load's fault schedule (its specs, comma-joined); undefined without one. */
export function faultName(load: LoadSpec): string | undefined {
  return load.fault && load.fault.faults.length > 0 ? load.fault.faults.map((f) => f.spec).join(',') : undefined;
}

export interface ScheduledVisit<R = never> {
  round: number; // 1-based
  target: TargetSpec;
  loads: LoadSpec[];
  runner?: R; // the load tool of this visit, when the schedule was given tools (--tool a,b)
}

/**
 * Rounds outside, targets inside, the target order rotated by one each round (A B C, B C A, C A B),
 * so that machine drift and position effects hit every target alike (DESIGN.md, rule 3). With several
 * load tools (`--tool autocannon,wrk`) the inner dimension is targets × tools, rotated the same way:
 * every tool sees every target in every round, so tools are compared within one run, interleaved.
 */
export function buildSchedule<R = never>(
  rounds: number,
  targets: readonly TargetSpec[],
  loads: readonly LoadSpec[],
  runners: readonly R[] = [],
): ScheduledVisit<R>[] {
  const units: { target: TargetSpec; runner?: R }[] =
    runners.length === 0
      ? targets.map((target) => ({ target }))
      : targets.flatMap((target) => runners.map((runner) => ({ target, runner })));
  const visits: ScheduledVisit<R>[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < units.length; i++) {
      visits.push({ round: r + 1, ...units[(i + r) % units.length]!, loads: [...loads] });
    }
  }
  return visits;
}

/** The key that groups rounds into one cell (the tool only matters when a run has several). */
export function cellKey(target: TargetSpec, load: LoadSpec, tool?: Tool): string {
  return [
    tool ?? '',
    target.adapter,
    target.poolMax,
    target.metrics,
    target.via,
    target.shed ?? '',
    target.workers ?? '',
    load.scenario,
    load.connections,
    load.rate ?? '',
    load.thinkTimeMs ?? '',
    target.side ?? '',
    faultName(load) ?? '',
  ].join('|');
}
