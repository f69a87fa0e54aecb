import type { ScenarioName } from '../../scenarios/catalog.ts';
import type { FaultSchedule } from '../faults/schedule.ts';
import type { FaultTools } from '../faults/steps.ts';
import type { Cell, FailedWindow } from '../results/types.ts';
import type { LoadRunner } from '../runners/types.ts';
import type { TargetConnection, TargetSpec } from '../targets/spec.ts';
import type { WindowSettings } from '../window/measure.ts';
import type { Probe } from '../window/probe.ts';

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
  firstRound = 1, // rounds added after a look continue the numbering and the rotation
): ScheduledVisit<R>[] {
  const units: { target: TargetSpec; runner?: R }[] =
    runners.length === 0
      ? targets.map((target) => ({ target }))
      : targets.flatMap((target) => runners.map((runner) => ({ target, runner })));
  const visits: ScheduledVisit<R>[] = [];
  for (let r = firstRound - 1; r < firstRound - 1 + rounds; r++) {
    for (let i = 0; i < units.length; i++) {
      visits.push({ round: r + 1, ...units[(i + r) % units.length]!, loads: [...loads] });
    }
  }
  return visits;
}

export interface BenchmarkPlan {
  rounds: number;
  targets: TargetSpec[];
  loads: LoadSpec[];
  settings: WindowSettings;
  runner: LoadRunner;
  /** Several load tools interleaved inside each round (--tool autocannon,wrk); absent: [runner]. */
  runners?: readonly LoadRunner[];
  databaseUrl: string;
  label?: (target: TargetSpec, load: LoadSpec) => string | undefined;
  /** How a target reaches PostgreSQL when not at databaseUrl (e.g. through PgBouncer); samplers keep databaseUrl. */
  connect?: (target: TargetSpec) => TargetConnection;
  /** A kind's own probes for one window (fresh ones each time), around its measured load only (the sweep's DB time). */
  probes?: (target: TargetSpec, load: LoadSpec) => Probe[];
  /** Runs after every measured window, e.g. to restore the seeded data after a scenario that writes (adr). */
  afterWindow?: (target: TargetSpec, load: LoadSpec) => Promise<void>;
  /** Called with everything measured so far after every window, measured or failed (partial results). */
  checkpoint?: (snapshot: BenchmarkOutcome) => Promise<void>;
  /**
   * Keep each target's server up across rounds (started at its first visit, stopped at the end; restarted
   * only when it died or after a faulted window) instead of one start per visit: more of the run is
   * measuring, and every target carries the same kind of state (a warm JIT, open pool connections) into
   * each round. It would hide a server that degrades with uptime differently from the others: a run that
   * looks for that (a soak) keeps the default.
   */
  keepServers?: boolean;
  /** Seconds the kind will spend after this benchmark (its later phases): the time left covers the whole run. */
  laterS?: number;
  /**
   * Sequential rounds (the gate): after the planned rounds, and after each extension, the kind looks at
   * what was measured and asks for more rounds of some windows (its undecided cells), or null to stop.
   * The added rounds continue the numbering and the rotation; kept servers stay up across them.
   */
  extend?: (snapshot: BenchmarkOutcome, roundsDone: number) => RoundsExtension | null;
  /** The proxy and database switch that faulted loads use (bench/faults/setup.ts); the server kill is added per window. */
  faultTools?: Omit<FaultTools, 'killServer'>;
}

/** More rounds of the windows `measure` accepts (the others are not visited again). */
export interface RoundsExtension {
  rounds: number;
  measure: (target: TargetSpec, load: LoadSpec) => boolean;
}

/** What a schedule measured: its cells (each with every round it got), and the windows that failed. */
export interface BenchmarkOutcome {
  cells: Cell[];
  aborted: boolean;
  error?: string; // why the run stopped early, when it did not finish
  failedWindows?: FailedWindow[]; // windows that failed; the run went on (DESIGN.md rule 10)
}
