/** A measured window's Round: the load tool's measurement and what the probes reported. Pure. */
import { clearedAtMs, type RunningFaults } from '../faults/inject.ts';
import type { FaultSchedule } from '../faults/schedule.ts';
import { figuresFromCounts } from '../faults/second-counts.ts';
import type { Round } from '../results/types.ts';
import type { WindowMeasurement } from '../runners/types.ts';
import { decodeHistogram, percentilesUs } from '../stats/histogram.ts';
import type { RoundPart } from './probe.ts';

/** Extra facts of a window that do not fit a Round but matter to its cell (k6 open model). */
export interface WindowExtras {
  targetRate?: number;
  achievedRate?: number;
  droppedIterations?: number;
  thresholdsPassed?: boolean;
  thresholdFailures?: string[];
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The order of a Round's fields in results.json, as before the probes gave their parts (a field not
 * listed goes after these): files of different versions read alike.
 */
// prettier-ignore
const FIELD_ORDER: readonly (keyof Round)[] = [
  'round', 'durationS', 'requests', 'requestsPerSec', 'bytesPerSec', 'errors', 'timeouts', 'non2xx',
  'statusCodes', 'latencyUs', 'histogram', 'admittedHistogram', 'serverCpuUsPerRequest', 'serverRssBytes',
  'harnessPeakRssBytes', 'harnessEndRssBytes', 'rssOverTime', 'eventLoopMaxDelayMs', 'serverProcesses',
  'serverThreads', 'poolWaitingMax', 'dbBackends', 'generatorCpuPercent', 'generatorBound', 'machineSaturated',
  'cpu', 'profile', 'queriesPerRequest', 'pgStatementsPerRequest', 'dbWork', 'noAnswer', 'faultEvents', 'timeline',
  'resilience', 'harness', 'validity',
];

export function roundOf(args: {
  round: number;
  measurement: WindowMeasurement;
  probes: RoundPart;
  faults?: { schedule: FaultSchedule; running: RunningFaults | undefined };
}): Round {
  const m = args.measurement;
  const latencyUs =
    m.requests > 0 ? percentilesUs(decodeHistogram(m.histogram)) : { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const fields: Record<string, unknown> = {
    round: args.round,
    durationS: round3(m.durationS),
    requests: m.requests,
    requestsPerSec: round3(m.requests / m.durationS),
    bytesPerSec: Math.round(m.bytes / m.durationS),
    errors: m.errors,
    timeouts: m.timeouts,
    non2xx: m.non2xx,
    statusCodes: m.statusCodes,
    latencyUs,
    histogram: m.histogram,
    // Only when something was turned away: otherwise it is the histogram above, stored twice.
    ...(m.admittedHistogram !== undefined && (m.statusCodes['503'] ?? 0) > 0
      ? { admittedHistogram: m.admittedHistogram }
      : {}),
    generatorCpuPercent: round3((m.generatorCpuUs / (m.durationS * 1e6)) * 100),
    ...args.probes,
    ...(m.timeline ? { noAnswer: m.timeline.noAnswer } : {}),
    ...(args.faults && m.timeline ? faultedWindow(args.faults.schedule, m, args.faults.running) : {}),
  };
  const rank = (key: string) => {
    const i = FIELD_ORDER.indexOf(key as keyof Round);
    return i < 0 ? FIELD_ORDER.length : i;
  };
  const keys = Object.keys(fields).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, fields[k]])) as unknown as Round;
}

/** What a faulted window adds to its round: the fault log, the per-second timeline and the figures. */
function faultedWindow(
  schedule: FaultSchedule,
  m: WindowMeasurement,
  faults: RunningFaults | undefined,
): Partial<Round> {
  const timeline = m.timeline!;
  return {
    faultEvents: faults?.events ?? [],
    timeline: timeline.seconds,
    resilience: figuresFromCounts(timeline, clearedAtMs(schedule, faults?.events), m.durationS),
  };
}

export function windowExtrasOf(m: WindowMeasurement): WindowExtras {
  return {
    ...(m.targetRate === undefined ? {} : { targetRate: m.targetRate }),
    ...(m.achievedRate === undefined ? {} : { achievedRate: m.achievedRate }),
    ...(m.droppedIterations === undefined ? {} : { droppedIterations: m.droppedIterations }),
    ...(m.thresholdsPassed === undefined ? {} : { thresholdsPassed: m.thresholdsPassed }),
    ...(m.thresholdFailures === undefined ? {} : { thresholdFailures: m.thresholdFailures }),
  };
}
