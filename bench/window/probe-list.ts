/**
 * The probes of every measured window, in the order they start (they stop in reverse):
 * - placement (--cpus), before the warm-up: the warm-up runs where the measured load will;
 * - harness, first of the measured window's and so last to stop: it sees every other probe's requests;
 * - machine, next: the CPU of everything outside the run, over the same span as the harness's own;
 * - backends before cpu: cpu reads their CPU from the pids sampled at its start;
 * - cpu before server: cpu stops after the server probe's last reading, the one server CPU figure;
 * - server, event-loop, queries, db-work (pg_stat_statements per statement), profile (--cpu-profile);
 * - memory after server: it reads the server's RSS where the server probe left it;
 * - then the kind's own (the sweep's DB time and PgBouncer pools), around the measured load only.
 */
import type { AppliedPlacement } from '../host/placement.ts';
import { SAMPLE_INTERVAL_MS, type Probe } from './probe.ts';
import { backendsProbe } from './probes/backends.ts';
import { cpuProbe } from './probes/cpu.ts';
import { eventLoopProbe } from './probes/event-loop.ts';
import { harnessProbe } from './probes/harness.ts';
import { machineProbe } from './probes/machine.ts';
import { memoryProbe } from './probes/memory.ts';
import { placementProbe } from './probes/placement.ts';
import { profileProbe, type ProfileSettings } from './probes/profile.ts';
import { queriesProbe } from './probes/queries.ts';
import { dbWorkProbe } from './probes/db-work.ts';
import { serverProbe } from './probes/server.ts';

export function windowProbes(
  options: {
    cpus?: AppliedPlacement;
    cpuProfile?: ProfileSettings;
    disturbedThresholdPercent?: number;
    sampleIntervalMs?: number; // --sample-interval: the periodic probes' period (default SAMPLE_INTERVAL_MS)
  },
  kindProbes: readonly Probe[] = [],
): Probe[] {
  const early = kindProbes.find((p) => p.from !== undefined);
  if (early) throw new Error(`probe ${early.name}: a kind's probes observe the measured load only`);
  const every = options.sampleIntervalMs ?? SAMPLE_INTERVAL_MS;
  const server = serverProbe(every);
  const backends = backendsProbe(every);
  return [
    ...(options.cpus ? [placementProbe(options.cpus)] : []),
    harnessProbe(),
    machineProbe(options.disturbedThresholdPercent),
    backends,
    cpuProbe({ server, backends }),
    server,
    eventLoopProbe(every),
    queriesProbe(),
    dbWorkProbe(),
    ...(options.cpuProfile ? [profileProbe(options.cpuProfile)] : []),
    memoryProbe(server, every),
    ...kindProbes,
  ];
}
