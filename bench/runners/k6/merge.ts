/**
 * Merges what the k6 processes of one window measured into one WindowMeasurement: histograms merged
 * (the merged count is the sum of the parts), counts summed, CPU summed. Pure.
 */
import { plannedIterations } from '../../../scenarios/k6/load-shapes.ts';
import { encodeHistogram } from '../../stats/histogram.ts';
import { resolveExecutor, type K6Window } from './args.ts';
import { emptyCounts, type K6SampleCounts } from './csv.ts';
import type { WindowMeasurement } from '../types.ts';
import type { SecondCounts } from '../../faults/second-counts.ts';

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

/** Sums the samples of several k6 processes; the merged histogram's count is the sum of the parts. */
export function mergeCounts(parts: readonly K6SampleCounts[]): K6SampleCounts {
  const merged = emptyCounts();
  for (const c of parts) {
    merged.histogram.add(c.histogram);
    merged.admittedHistogram.add(c.admittedHistogram);
    for (const [code, n] of Object.entries(c.statusCodes))
      merged.statusCodes[code] = (merged.statusCodes[code] ?? 0) + n;
    merged.requests += c.requests;
    merged.errors += c.errors;
    merged.timeouts += c.timeouts;
    merged.non2xx += c.non2xx;
    merged.bytes += c.bytes;
    merged.iterations += c.iterations;
    merged.droppedIterations += c.droppedIterations;
  }
  return merged;
}

/** `timeline`: the seconds of every instance counted together (k6.ts), when the window asked for them. */
export function mergeInstances(
  window: K6Window,
  instances: readonly K6InstanceMeasurement[],
  timeline?: SecondCounts,
): WindowMeasurement {
  const c = mergeCounts(instances.map((i) => i.counts));
  const failures = new Set<string>();
  for (const inst of instances) {
    for (const f of inst.thresholdFailures) failures.add(instances.length > 1 ? `instance ${inst.index}: ${f}` : f);
  }
  const measurement: WindowMeasurement = {
    durationS: Math.max(0, ...instances.map((i) => i.durationS)), // the processes run side by side
    requests: c.requests,
    statusCodes: c.statusCodes,
    errors: c.errors,
    timeouts: c.timeouts,
    non2xx: c.non2xx,
    bytes: c.bytes,
    histogram: encodeHistogram(c.histogram),
    admittedHistogram: encodeHistogram(c.admittedHistogram),
    generatorCpuUs: Math.round(instances.reduce((sum, i) => sum + i.cpuUs, 0)),
    thresholdsPassed: instances.every((i) => i.thresholdsPassed),
    thresholdFailures: [...failures].sort(),
    ...(timeline ? { timeline } : {}),
  };
  const target = targetRatePerS(window);
  if (target !== undefined) {
    measurement.targetRate = target;
    // Requests started per second of the planned window (responses and failures alike): an arrival-rate
    // executor starts them on schedule, so this falls short of the target only by what it dropped.
    measurement.achievedRate = (c.requests + c.errors) / window.durationS;
    measurement.droppedIterations = c.droppedIterations;
  }
  return measurement;
}
