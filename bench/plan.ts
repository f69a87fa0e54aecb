import type { ScenarioName } from '../scenarios/catalog.ts';
import type { FaultSchedule } from './faults/schedule.ts';
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

export interface ScheduledVisit {
  round: number; // 1-based
  target: TargetSpec;
  loads: LoadSpec[];
}

/**
 * Rounds outside, targets inside, the target order rotated by one each round (A B C, B C A, C A B),
 * so that machine drift and position effects hit every target alike (DESIGN.md, rule 3).
 */
export function buildSchedule(
  rounds: number,
  targets: readonly TargetSpec[],
  loads: readonly LoadSpec[],
): ScheduledVisit[] {
  const visits: ScheduledVisit[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < targets.length; i++) {
      visits.push({ round: r + 1, target: targets[(i + r) % targets.length]!, loads: [...loads] });
    }
  }
  return visits;
}

/** The key that groups rounds into one cell. */
export function cellKey(target: TargetSpec, load: LoadSpec): string {
  return [
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
