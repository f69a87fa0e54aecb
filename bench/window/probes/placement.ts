/**
 * `--cpus`: the server pinned to its CPUs before the warm-up of each window (a server started afresh,
 * or threads it started since, are pinned too), and the affinity of the server, the generator (this
 * process: the load tool inherits it) and PostgreSQL read back from the kernel at the window's end.
 * Started before the warm-up: the warm-up runs where the measured load will.
 */
import { affinityOf, pinTree } from '../../host/affinity.ts';
import type { AppliedPlacement } from '../../host/placement.ts';
import type { Probe, ProbeReport } from '../probe.ts';

export function placementProbe(placement: AppliedPlacement): Probe {
  let serverPid = 0;
  return {
    name: 'placement',
    from: 'warmup',
    async start(ctx) {
      serverPid = ctx.target.pid;
      if (placement.server) pinTree(serverPid, placement.server);
    },
    async stop(): Promise<ProbeReport> {
      let db: string | null = null;
      try {
        if (placement.postmasterPid !== undefined) db = affinityOf(placement.postmasterPid);
      } catch {
        db = null;
      }
      return { round: { cpu: { affinity: { server: affinityOf(serverPid), generator: affinityOf('self'), db } } } };
    },
  };
}
