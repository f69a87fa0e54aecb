import { searchPart } from '../../levels/estimate.ts';
import { scheduleCost, type PlanPart } from '../../schedule/estimate.ts';
import type { TargetSpec } from '../../targets/spec.ts';
import { k6Settings } from './latency-phase.ts';
import type { AdrPlan } from './plan.ts';

const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The targets the adr measures (with its factors), as executeAdr builds them. */
export function adrTargets(plan: AdrPlan): TargetSpec[] {
  return plan.targets
    ? [...plan.targets]
    : plan.adapters.map((a) => ({ adapter: a.name, poolMax: plan.poolMax, metrics: 'on', via: 'direct' }));
}

/**
 * The adr's three phases as plan parts (bench/schedule/estimate.ts): phase 1 closed-model windows,
 * phase 2 latency windows (k6 at a fixed rate, at least 1 s each; none when it reuses phase 1), phase 3
 * one capacity search per target per round (a range: its levels depend on where each target breaks).
 * `keepServers`: whether every server fits in the database at once (an embedded database is sized for
 * it; a DATABASE_URL server is read when the run starts).
 */
export function adrParts(plan: AdrPlan, keepServers: boolean): PlanPart[] {
  const targets = adrTargets(plan);
  const closed = scheduleCost({
    rounds: plan.rounds,
    targets,
    loads: plan.paths.flatMap((scenario) => plan.connections.map((connections) => ({ scenario, connections }))),
    settings: plan.settings,
    keepServers,
  });
  const parts: PlanPart[] = [
    {
      what: `phase 1 (closed model): ${s(closed.windows, 'window')} of ${plan.settings.warmupS} s warm-up + ${plan.settings.durationS} s, ${s(closed.starts, 'server start')}`,
      seconds: closed.windowsS + closed.startsS,
    },
  ];
  const reused = !('k6' in plan.latency) && plan.latency.lightConnections === plan.closedConnections;
  if (!reused) {
    const k6 = 'k6' in plan.latency;
    const settings = k6 ? k6Settings(plan.settings) : plan.settings;
    const latency = scheduleCost({
      rounds: plan.rounds,
      targets,
      loads: plan.paths.map((scenario) => ({ scenario, connections: plan.closedConnections })),
      settings,
      keepServers, // kept servers were started in phase 1
    });
    parts.push({
      what: `phase 2 (${k6 ? 'fixed arrival rate, k6' : 'light closed load'}): ${s(latency.windows, 'window')} of ${settings.warmupS} s warm-up + ${settings.durationS} s`,
      seconds: latency.windowsS + (keepServers ? 0 : latency.startsS),
    });
  }
  if (!('skipped' in plan.capacity)) {
    const c = plan.capacity;
    parts.push(
      searchPart(
        `phase 3 (capacity on ${c.scenario}${c.thinkTimeMs === undefined ? '' : `, users with ${c.thinkTimeMs} ms think time`})`,
        {
          startConnections: c.startConnections,
          maxConnections: c.maxConnections,
          slo: c.slo,
          resolution: c.resolution,
        },
        { rounds: 1, ...c.windowS },
        c.rounds * targets.length,
      ),
    );
  }
  return parts;
}
