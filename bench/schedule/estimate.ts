import { RUN_COSTS } from './costs.ts';
import type { LoadSpec } from './plan.ts';
import type { TargetSpec } from '../targets/spec.ts';
import type { WindowSettings } from '../window/measure.ts';

/**
 * What a plan will cost before it runs, for `--dry-run` and for the progress line's time left: a sum
 * of parts, each from the plan and the measured costs of bench/schedule/costs.ts. A part whose size is
 * decided while it runs (a capacity search's levels, a gate's extra rounds) has a range.
 */
export interface PlanPart {
  what: string; // e.g. "phase 1 (closed model): 40 windows"
  seconds: number; // the least it costs (all of it when upToS is absent)
  upToS?: number; // the most it may cost
}

/** The windows and server starts of one interleaved benchmark (rounds × targets × loads × tools). */
export interface Schedule {
  rounds: number;
  targets: readonly TargetSpec[];
  loads: readonly LoadSpec[];
  settings: Pick<WindowSettings, 'warmupS' | 'durationS'>;
  keepServers?: boolean;
  runners?: readonly unknown[];
}

/** What the cost needs of a schedule: how many of each, not which (a gate's targets before their checkout count too). */
type Counted = Omit<Schedule, 'targets'> & { targets: readonly unknown[] };

export interface ScheduleCost {
  windows: number;
  starts: number;
  windowsS: number;
  startsS: number;
}

/** Windows cost their warm-up and measured seconds plus what happens around them; each visit starts its server unless kept. */
export function scheduleCost(b: Counted): ScheduleCost {
  const tools = Math.max(1, b.runners?.length ?? 1);
  const windows = b.rounds * b.targets.length * b.loads.length * tools;
  const starts = b.keepServers ? b.targets.length : b.rounds * b.targets.length * tools;
  return {
    windows,
    starts,
    windowsS: windows * (b.settings.warmupS + b.settings.durationS + RUN_COSTS.betweenWindowsS),
    startsS: starts * RUN_COSTS.serverStartS,
  };
}

/** The sum of the parts: [least, most]. */
export function totalOf(parts: readonly PlanPart[]): [number, number] {
  return [parts.reduce((s, p) => s + p.seconds, 0), parts.reduce((s, p) => s + (p.upToS ?? p.seconds), 0)];
}
