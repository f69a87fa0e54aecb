import type { Round, Tool } from '../results/types.ts';
import type { LoadRunner } from '../runners/types.ts';
import { shedOf, type TargetSpec } from '../targets/spec.ts';
import type { ScheduledVisit } from './plan.ts';

/** "round 2/3 · pg-pool · wrk pool 4": what progress lines name a visit by (only what varies in the plan). */
export function visitName(
  plan: { rounds: number; targets: readonly TargetSpec[] },
  visit: ScheduledVisit<LoadRunner>,
  tool: Tool,
  multiTool: boolean,
): string {
  const spec = visit.target;
  const varies = (pick: (t: TargetSpec) => unknown) => plan.targets.some((t) => pick(t) !== pick(spec));
  return [
    // a round past the plan's: the gate's sequential extension of an undecided cell
    `round ${visit.round <= plan.rounds ? `${visit.round}/${plan.rounds}` : `${visit.round} (extra)`} · ${spec.adapter}`,
    multiTool ? ` · ${tool}` : '',
    varies((t) => t.poolMax) ? ` pool ${spec.poolMax}` : '',
    varies((t) => t.metrics) ? ` metrics ${spec.metrics}` : '',
    varies((t) => t.via) ? ` via ${spec.via}` : '',
    varies(shedOf) ? ` shed ${shedOf(spec) ?? 'env'}` : '',
    spec.side ? ` ${spec.side}` : '',
  ].join('');
}

/** What a measured window's progress line says: throughput, latency, errors, fault figures, and whether it can be used. */
export function windowLine(round: Round): string {
  const r = round.resilience;
  const v = round.validity;
  return [
    `${round.requestsPerSec.toFixed(0)} req/s, p50 ${(round.latencyUs.p50 / 1000).toFixed(3)} ms, p99 ${(round.latencyUs.p99 / 1000).toFixed(3)} ms, ${round.errors + round.non2xx} errors`,
    r
      ? `, error window ${r.errorWindowMs === null ? 'none' : `${(r.errorWindowMs / 1000).toFixed(1)} s`}, recovered ${r.timeToRecoverMs === null ? 'never' : `after ${r.timeToRecoverMs / 1000} s`}`
      : '',
    v?.disturbed ? `; DISTURBED: other processes used ${v.foreignCpuPercent}% of a core` : '',
    v?.invalid ? `; INVALID: ${v.invalid}` : '',
  ].join('');
}
