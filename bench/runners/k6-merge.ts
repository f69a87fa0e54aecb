/**
 * Merges what the k6 processes of one window measured into one WindowMeasurement: histograms merged
 * (the merged count is the sum of the parts), counts summed, CPU summed. Pure.
 */
import { plannedIterations } from '../../scenarios/k6/load-shapes.ts';
import { createLatencyHistogram, encodeHistogram } from '../stats/histogram.ts';
import { resolveExecutor, type K6Window } from './k6-args.ts';
import type { K6SampleCounts } from './k6-csv.ts';
import type { WindowMeasurement } from './types.ts';

/** What one k6 process of the window measured. */
export interface K6InstanceMeasurement {
  index: number;
  exitCode: number;
  thresholdsPassed: boolean;
  thresholdFailures: string[];
  counts: K6SampleCounts;
  durationS: number; // between the window markers
  cpuUs: number; // over the same span
}

/** The rate the window plans, in requests/s (the average for a ramp); undefined for the closed model. */
export function targetRatePerS(window: K6Window): number | undefined {
  const executor = resolveExecutor(window);
  if (executor === 'constant-vus' || window.rate === undefined) return undefined;
  const planned = plannedIterations({
    executor,
    durationS: window.durationS,
    ratePerS: window.rate,
    rampS: window.k6?.rampS ?? window.durationS / 2,
    startRatePerS: window.k6?.startRatePerS ?? 0,
    vus: window.connections,
    timeoutS: window.timeoutS,
  });
  return planned === undefined ? undefined : planned / window.durationS;
}

export function mergeInstances(window: K6Window, instances: readonly K6InstanceMeasurement[]): WindowMeasurement {
  const histogram = createLatencyHistogram();
  const statusCodes: Record<string, number> = {};
  let requests = 0, errors = 0, timeouts = 0, non2xx = 0, bytes = 0, dropped = 0, cpuUs = 0, durationS = 0;
  const failures = new Set<string>();
  for (const inst of instances) {
    const c = inst.counts;
    histogram.add(c.histogram);
    for (const [code, n] of Object.entries(c.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    requests += c.requests;
    errors += c.errors;
    timeouts += c.timeouts;
    non2xx += c.non2xx;
    bytes += c.bytes;
    dropped += c.droppedIterations;
    cpuUs += inst.cpuUs;
    durationS = Math.max(durationS, inst.durationS); // the processes run side by side
    for (const f of inst.thresholdFailures) failures.add(instances.length > 1 ? `instance ${inst.index}: ${f}` : f);
  }
  const measurement: WindowMeasurement = {
    durationS,
    requests,
    statusCodes,
    errors,
    timeouts,
    non2xx,
    bytes,
    histogram: encodeHistogram(histogram),
    generatorCpuUs: Math.round(cpuUs),
    thresholdsPassed: instances.every((i) => i.thresholdsPassed),
    thresholdFailures: [...failures].sort(),
  };
  const target = targetRatePerS(window);
  if (target !== undefined) {
    measurement.targetRate = target;
    // Requests started per second of the planned window (responses and failures alike): an arrival-rate
    // executor starts them on schedule, so this falls short of the target only by what it dropped.
    measurement.achievedRate = (requests + errors) / window.durationS;
    measurement.droppedIterations = dropped;
  }
  return measurement;
}
