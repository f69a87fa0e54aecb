import type { SelfTime } from './profile.ts';

/**
 * Where a window's CPU went (DESIGN.md "How we measure" 6): the load generator, the server's process
 * tree and the PostgreSQL backends serving it, against the machine's cores. Percentages are of ONE
 * core (200 = two cores busy); `Round.cpu` in the results file.
 */
export interface WindowCpu {
  cores: number; // CPUs this machine has online (os.availableParallelism)
  generatorThreads: number; // threads the generator runs its load on: wrk -t T; 1 for autocannon's event loop
  generatorPercent: number; // of one core
  generatorUsPerRequest: number; // the generator's CPU ÷ responses: what one request costs the load tool
  serverPercent: number; // the server's whole process tree
  dbPercent: number | null; // the backends with the target's application_name; null: see dbNote
  dbNote?: string; // why dbPercent is null (PostgreSQL not on this machine, backends not visible, …)
  machinePercent: number; // every process on the machine (/proc/stat), others' load included
  oursPercent: number; // generator + server + db
  generatorBound: boolean; // see saturation.ts
  machineSaturated: boolean;
  /** CPU sets read back from the kernel at the end of the window, when --cpus pinned them. */
  affinity?: { server: string; generator: string; db: string | null };
}

/** `--cpus server=0,generator=1,db=1`: cpu lists as taskset -c takes them. */
export interface CpuPlacement {
  server?: string;
  generator?: string;
  db?: string;
}

/** --cpu-profile: the server's profile of one measured window, written beside results.json. */
export interface WindowProfile {
  file: string; // relative to the results folder, e.g. profiles/r1-pg-pool-get-job-32.cpuprofile
  sampledMs: number;
  top: SelfTime[]; // by self time, largest first
}
