/**
 * The harness's own weight on what it measures (issue 21): from the first probe's start to the last
 * one's stop, the requests the probes sent to the server (by probe), the statements they sent
 * PostgreSQL, and jobbench's own CPU (process.cpuUsage: the load tool runs in a process of its own and
 * is not in it). Started first and stopped last of the measured window's probes, so that it sees all
 * the others' work; it sends nothing itself.
 */
import type { Probe, ProbeContext, ProbeReport } from '../probe.ts';

const round1 = (n: number) => Math.round(n * 10) / 10;

export function harnessProbe(): Probe {
  let ctx: ProbeContext | undefined;
  let t0 = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  let requests0: Record<string, number> = {};
  let statements0 = 0;
  return {
    name: 'harness',
    async start(context) {
      ctx = context;
      requests0 = ctx.requests.byProbe();
      statements0 = ctx.db.queries();
      cpu0 = process.cpuUsage();
      t0 = performance.now();
    },
    async stop(): Promise<ProbeReport> {
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const byProbe: Record<string, number> = {};
      for (const [probe, n] of Object.entries(ctx!.requests.byProbe()))
        if (n - (requests0[probe] ?? 0) > 0) byProbe[probe] = n - (requests0[probe] ?? 0);
      const serverRequests = Object.values(byProbe).reduce((a, b) => a + b, 0);
      const cpuUs = cpu.user + cpu.system;
      return {
        round: {
          harness: {
            wallS: Math.round(wallS * 1000) / 1000,
            serverRequests,
            serverRequestsPerSec: wallS > 0 ? round1(serverRequests / wallS) : 0,
            serverRequestsByProbe: byProbe,
            dbStatements: ctx!.db.queries() - statements0,
            cpuUs,
            cpuPercent: wallS > 0 ? round1((cpuUs / (wallS * 1e6)) * 100) : 0,
          },
        },
      };
    },
  };
}
