/**
 * What observes a measured window. Every observer is a Probe; a manager starts them in order and stops
 * them in reverse, and when one fails to start, stops those already started (k6's output/manager.go).
 * The window's code starts and stops none by hand: it hands its probes to `probeManager`.
 */
import type { Round, Tool } from '../results/types.ts';
import type { WindowMeasurement } from '../runners/types.ts';
import type { WindowLoad } from './load.ts';
import type { EvidencePlan } from '../targets/kinds.ts';
import type { Target, TargetSpec } from '../targets/spec.ts';
import type { SamplerDb } from './sampler-db.ts';
import type { ServerClient, ServerRequests } from './server-requests.ts';

/** How often the periodic probes sample (the server's /proc, its backends, its pool gauges, RSS, PgBouncer). */
export const SAMPLE_INTERVAL_MS = 1_000;

/** What a probe may use while the window runs. */
export interface ProbeContext {
  round: number;
  target: Target; // its baseUrl and pid (0 for an external target)
  spec: TargetSpec;
  load: WindowLoad;
  tool: Tool; // the load tool of the window
  evidence: EvidencePlan; // where the server's evidence comes from (bench/targets/kinds.ts)
  /** The target, over HTTP: every request a probe sends through it is counted as the harness's own. */
  server: ServerClient;
  /** The window's one PostgreSQL connection, shared by every probe that reads the database. */
  db: SamplerDb;
  /** Every probe's requests to the target so far (the harness probe reads them). */
  requests: Pick<ServerRequests, 'byProbe'>;
}

/** What the window knows when it stops its probes. */
export interface WindowEnd {
  /** The measured load; absent when the load tool failed or a probe failed to start (nothing to divide by). */
  measurement?: WindowMeasurement;
}

/** A probe's part of the Round: an object field two probes give (cpu: figures and affinity) is merged. */
export type RoundPart = { [K in keyof Round]?: NonNullable<Round[K]> extends object ? Partial<Round[K]> : Round[K] };

export interface ProbeReport {
  round?: RoundPart;
  /** Why part of the window went unobserved (the server died); absent or empty when nothing was lost. */
  lost?: readonly string[];
}

export interface Probe {
  /** Short and stable: names the probe in errors and in the harness's count of requests per probe. */
  readonly name: string;
  /** 'warmup': started before the warm-up (the CPU pin); otherwise around the measured load only. */
  readonly from?: 'warmup';
  /** Begins observing. A throw stops the probes already started, in reverse, and fails the window. */
  start(ctx: ProbeContext): Promise<void>;
  /** Ends observing and gives the probe's part of the Round; every started probe is stopped, even after a throw. */
  stop(end: WindowEnd): Promise<ProbeReport>;
}

/** Everything the probes reported, merged (later-stopped probes fill in what earlier ones gave). */
export interface ProbesReport {
  round: RoundPart;
  lost: string[];
}

/**
 * Owns the order and the cleanup: `start(ctx, phase)` starts the probes of that phase in list order;
 * when one throws, every probe started so far (of any phase) is stopped, newest first, and the error
 * goes on. `stop(end)` stops every started probe, newest first, each even when another throws, then
 * throws one error naming each failure. Both are safe to call again: nothing is started or stopped twice.
 */
export function probeManager(probes: readonly Probe[], contextFor: (probe: Probe) => ProbeContext) {
  const started: Probe[] = [];
  const stopAll = async (end: WindowEnd) => {
    const report: ProbesReport = { round: {}, lost: [] };
    const failures: { probe: string; error: unknown }[] = [];
    while (started.length > 0) {
      const probe = started.pop()!;
      try {
        const part = await probe.stop(end);
        mergeInto(report.round, part.round ?? {});
        report.lost.push(...(part.lost ?? []));
      } catch (error) {
        failures.push({ probe: probe.name, error });
      }
    }
    return { report, failures };
  };
  return {
    async start(phase: 'warmup' | 'measure'): Promise<void> {
      for (const probe of probes.filter((p) => (p.from === 'warmup' ? 'warmup' : 'measure') === phase)) {
        try {
          await probe.start(contextFor(probe));
        } catch (error) {
          const { failures } = await stopAll({});
          if (failures.length === 0) throw error;
          throw new Error(`${messageOf(error)} (and while stopping the probes already started: ${listOf(failures)})`, {
            cause: error,
          });
        }
        started.push(probe);
      }
    },
    async stop(end: WindowEnd): Promise<ProbesReport> {
      const { report, failures } = await stopAll(end);
      if (failures.length > 0)
        throw new AggregateError(
          failures.map((f) => f.error),
          `probe failed to stop: ${listOf(failures)}`,
        );
      return report;
    },
  };
}

/** Merges a part into the round so far; an object field both hold is merged one level down. */
function mergeInto(round: RoundPart, part: RoundPart): void {
  const into = round as Record<string, unknown>;
  for (const [key, value] of Object.entries(part)) {
    const held = into[key];
    const plain = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    into[key] = plain(held) && plain(value) ? { ...(held as object), ...(value as object) } : value;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const listOf = (failures: { probe: string; error: unknown }[]) =>
  failures.map((f) => `${f.probe}: ${messageOf(f.error)}`).join('; ');
