/** A window's CPU readings -> the WindowCpu of its round (bench/results/cpu.ts). Pure. */
import type { Tool } from '../results/types.ts';
import type { WindowMeasurement } from '../runners/types.ts';
import { saturationOf } from './saturation.ts';
import type { WindowCpu } from '../results/cpu.ts';

/** What the cpu probe read over a window (bench/window/probes/cpu.ts). */
export interface CpuWindowReading {
  wallS: number; // machine and backends: between the cpu probe's start and stop
  serverCpuUs: number;
  serverWallS?: number; // the server probe's own interval, its CPU a rate over it; absent: wallS
  dbCpuUs: number | null;
  dbNote?: string;
  machineBusyUs: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Threads the generator's load runs on: what the runner said, else k6's Go runtime uses every core. */
export function generatorThreadsOf(tool: Tool, m: Pick<WindowMeasurement, 'generatorThreads'>, cores: number): number {
  return m.generatorThreads ?? (tool === 'k6' ? cores : 1);
}

export function windowCpuOf(args: {
  reading: CpuWindowReading;
  measurement: Pick<WindowMeasurement, 'generatorCpuUs' | 'generatorThreads' | 'durationS' | 'requests'>;
  tool: Tool;
  cores: number;
}): WindowCpu {
  const { reading, measurement: m, cores } = args;
  const percent = (us: number, s: number) => (s > 0 ? (us / (s * 1e6)) * 100 : 0);
  const generatorThreads = generatorThreadsOf(args.tool, m, cores);
  const generatorPercent = percent(m.generatorCpuUs, m.durationS);
  const serverPercent = percent(reading.serverCpuUs, reading.serverWallS ?? reading.wallS);
  const dbPercent = reading.dbCpuUs === null ? null : percent(reading.dbCpuUs, reading.wallS);
  const machinePercent = percent(reading.machineBusyUs, reading.wallS);
  const flags = saturationOf({ cores, generatorThreads, generatorPercent, serverPercent, dbPercent, machinePercent });
  return {
    cores,
    generatorThreads,
    generatorPercent: round1(generatorPercent),
    generatorUsPerRequest: m.requests > 0 ? round1(m.generatorCpuUs / m.requests) : 0,
    serverPercent: round1(serverPercent),
    dbPercent: dbPercent === null ? null : round1(dbPercent),
    ...(reading.dbNote === undefined ? {} : { dbNote: reading.dbNote }),
    machinePercent: round1(machinePercent),
    oursPercent: round1(flags.oursPercent),
    generatorBound: flags.generatorBound,
    machineSaturated: flags.machineSaturated,
  };
}
