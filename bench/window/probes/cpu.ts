/**
 * CPU over one measured window: of the whole machine (/proc/stat), of the PostgreSQL backends that
 * serve the target (the backends probe's pids at the start and at the end, read from /proc, which works
 * only when PostgreSQL runs on this machine, in this pid namespace: otherwise dbCpuUs is null with the
 * reason), of the server (the server probe's one reading) and of the generator (its runner's). Gives the
 * Round's WindowCpu and the saturation flags.
 */
import { cpus as osCpus } from 'node:os';
import { commOf, cpuDeltaUs, cpuOfPids, machineBusyUs } from '../../host/procfs.ts';
import { windowCpuOf, type CpuWindowReading } from '../cpu.ts';
import type { Probe, ProbeContext, ProbeReport, WindowEnd } from '../probe.ts';
import type { BackendsProbe } from './backends.ts';
import type { ServerProbe } from './server.ts';

/** Why the backends' CPU cannot be read here, or undefined when it can (every pid is a local postgres). */
export function backendsNotLocal(
  pids: readonly number[],
  comm: (pid: number) => string | undefined = commOf,
): string | undefined {
  if (pids.length === 0) return 'no backend with the target application_name in pg_stat_activity';
  const foreign = pids.filter((pid) => comm(pid) !== 'postgres');
  if (foreign.length === 0) return undefined;
  return `PostgreSQL is not on this machine (or in another pid namespace): backend pid ${foreign[0]} is not a local postgres process`;
}

/**
 * Started after the backends probe (it needs their pids at once) and before the server probe, so that
 * it stops after the server's last reading and before the backends' last sample.
 */
export function cpuProbe(from: { server: ServerProbe; backends: BackendsProbe }): Probe {
  let ctx: ProbeContext | undefined;
  let t0 = 0;
  let machine0 = 0;
  let startPids: number[] = [];
  let db0 = new Map<number, number>();
  return {
    name: 'cpu',
    async start(context) {
      ctx = context;
      startPids = from.backends.pids();
      t0 = performance.now();
      machine0 = machineBusyUs();
      db0 = cpuOfPids(startPids);
    },
    async stop(end: WindowEnd): Promise<ProbeReport> {
      const machine1 = machineBusyUs();
      const wallS = (performance.now() - t0) / 1000;
      const endPids = await from.backends.refresh();
      if (!end.measurement) return {};
      const pids = [...new Set([...startPids, ...endPids])];
      const note = backendsNotLocal(pids);
      const server = from.server.reading();
      const reading: CpuWindowReading = {
        wallS,
        serverCpuUs: server.cpuUs ?? 0, // an external target: no process of ours to read
        ...(server.cpuUs === null ? {} : { serverWallS: server.wallS }),
        dbCpuUs: note === undefined ? cpuDeltaUs(db0, cpuOfPids(pids)) : null,
        machineBusyUs: machine1 - machine0,
      };
      if (note !== undefined) reading.dbNote = note;
      const cpu = windowCpuOf({
        reading,
        measurement: end.measurement,
        tool: ctx!.tool,
        cores: osCpus().length, // all online cores: availableParallelism() shrinks under --cpus
      });
      return { round: { generatorBound: cpu.generatorBound, machineSaturated: cpu.machineSaturated, cpu } };
    },
  };
}
