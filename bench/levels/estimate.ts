import { RUN_COSTS } from '../schedule/costs.ts';
import type { PlanPart } from '../schedule/estimate.ts';
import { nextStep, searchCeiling, type SearchSettings } from './search.ts';

/**
 * How many levels a capacity search may measure, fewest and most, found by running the search itself
 * (nextStep) against every place the server could break: a server that fails its first level costs one
 * level, one that holds everything costs the doublings up to the ceiling, and one that breaks between
 * two doublings adds the bisection. Pure; for `--dry-run` and the progress line.
 */
export function levelCountRange(settings: SearchSettings): { min: number; max: number } {
  const top = searchCeiling(settings).connections;
  let min = Infinity;
  let max = 0;
  for (const breaksAt of breakPoints(top)) {
    const n = levelsUntilStop(settings, breaksAt);
    min = Math.min(min, n);
    max = Math.max(max, n);
  }
  return { min, max };
}

/** Every level a server could first fail at (top + 1: it never fails); sampled above 10,000. */
function breakPoints(top: number): number[] {
  if (top <= 10_000) return Array.from({ length: top + 1 }, (_, i) => i + 1);
  const points = new Set<number>([top + 1]);
  for (let c = 1; c <= top; c = Math.max(c + 1, Math.floor(c * 1.01))) points.add(c);
  return [...points];
}

function levelsUntilStop(settings: SearchSettings, breaksAt: number): number {
  const measured: { connections: number; errorRate: number; p99Ms: number; requestsPerSec: number }[] = [];
  for (;;) {
    const step = nextStep(measured, settings);
    if (step.action === 'stop') return measured.length;
    const holds = step.connections < breaksAt;
    measured.push({
      connections: step.connections,
      errorRate: holds ? 0 : 1,
      p99Ms: 0,
      requestsPerSec: 0,
    });
  }
}

/** What one capacity search costs: each level starts a server and measures `rounds` windows. */
export function searchPart(
  what: string,
  settings: SearchSettings,
  level: { rounds: number; warmupS: number; durationS: number },
  searches: number,
): PlanPart {
  const { min, max } = levelCountRange(settings);
  const perLevelS =
    RUN_COSTS.serverStartS + level.rounds * (level.warmupS + level.durationS + RUN_COSTS.betweenWindowsS);
  return {
    what: `${what}: ${searches} search${searches === 1 ? '' : 'es'} × ${min === max ? min : `${min}–${max}`} level${max === 1 ? '' : 's'} × ${level.rounds} window${level.rounds === 1 ? '' : 's'} of ${level.warmupS} + ${level.durationS} s`,
    seconds: searches * min * perLevelS,
    ...(max > min ? { upToS: searches * max * perLevelS } : {}),
  };
}
