/**
 * The saturation flags of a window. Pure.
 *
 * generator-bound: the generator's CPU ≥ 90% of the cores it can use, min(threads, cores). One event loop
 * (autocannon's worker, one wrk thread) cannot use more than one core, so 90% of one core means it is
 * the bottleneck; wrk with T threads runs T event loops and is bound only when they are, on average,
 * ≥ 90% busy: 1.8 cores for T = 2. The rule of DESIGN.md (90% of a core) is the T = 1 case. A per-thread
 * maximum would be stricter, but wrk does not report per-thread CPU; connections are spread evenly over
 * threads (wrkThreads keeps connections a multiple of T), so the average is a fair reading.
 *
 * machine-saturated: ≥ 90% of ALL cores were busy with the run's own processes (generator + server +
 * backends): the cell's throughput is what the machine could give it, not the server's capacity. CPU
 * that other processes took is not this flag but `validity.disturbed` (window/probes/machine.ts): a
 * window the run did not saturate but others disturbed is measured again and kept out of verdicts.
 */
export const SATURATED_PERCENT = 90;

export interface SaturationInput {
  cores: number;
  generatorThreads: number;
  generatorPercent: number; // of one core
  serverPercent: number;
  dbPercent: number | null;
  machinePercent: number; // of one core, whole machine
}

export function saturationOf(w: SaturationInput): {
  oursPercent: number;
  generatorBound: boolean;
  machineSaturated: boolean;
} {
  const usableCores = Math.max(1, Math.min(w.generatorThreads, w.cores));
  const oursPercent = w.generatorPercent + w.serverPercent + (w.dbPercent ?? 0);
  const limit = (SATURATED_PERCENT / 100) * w.cores * 100;
  return {
    oursPercent,
    generatorBound: w.generatorPercent >= SATURATED_PERCENT * usableCores,
    machineSaturated: oursPercent >= limit,
  };
}
