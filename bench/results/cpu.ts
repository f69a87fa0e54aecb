import { Type, type Static } from '@sinclair/typebox';
import { nonNegative, nullable, positiveInt } from './schema-kit.ts';

/**
 * Where a window's CPU went (DESIGN.md "How we measure" 6): the load generator, the server's process
 * tree and the PostgreSQL backends serving it, against the machine's cores. Percentages are of ONE
 * core (200 = two cores busy); `Round.cpu` in the results file.
 */
export const WindowCpuSchema = Type.Object(
  {
    cores: positiveInt, // CPUs this machine has online (os.availableParallelism)
    generatorThreads: positiveInt, // threads the generator runs its load on: wrk -t T; 1 for autocannon's event loop
    generatorPercent: nonNegative, // of one core
    generatorUsPerRequest: nonNegative, // the generator's CPU ÷ responses: what one request costs the load tool
    serverPercent: nonNegative, // the server's whole process tree
    dbPercent: nullable(nonNegative), // the backends with the target's application_name; null: see dbNote
    dbNote: Type.Optional(Type.String()), // why dbPercent is null (PostgreSQL not on this machine, backends not visible, …)
    machinePercent: nonNegative, // every process on the machine (/proc/stat), others' load included
    oursPercent: nonNegative, // generator + server + db
    generatorBound: Type.Boolean(), // see bench/window/saturation.ts
    machineSaturated: Type.Boolean(),
    /** CPU sets read back from the kernel at the end of the window, when --cpus pinned them. */
    affinity: Type.Optional(
      Type.Object({ server: Type.String(), generator: Type.String(), db: nullable(Type.String()) }),
    ),
  },
  { description: 'generator, server tree, PostgreSQL backends and machine CPU, % of one core' },
);
export type WindowCpu = Static<typeof WindowCpuSchema>;

/** `--cpus server=0,generator=1,db=1`: cpu lists as taskset -c takes them (recorded in `config`). */
export interface CpuPlacement {
  server?: string;
  generator?: string;
  db?: string;
}

/** One function's share of a CPU profile (bench/window/cpu-profile.ts computes it). */
export const SelfTimeSchema = Type.Object({
  functionName: Type.String(), // "(anonymous)" for an unnamed function
  url: Type.String(), // script URL or path; "" for V8's own entries
  line: Type.Integer(), // 1-based line of the function's start; 0 when unknown
  selfMs: nonNegative,
  selfPercent: nonNegative, // of all sampled time
});
export type SelfTime = Static<typeof SelfTimeSchema>;

/** --cpu-profile: the server's profile of one measured window, written beside results.json. */
export const WindowProfileSchema = Type.Object(
  {
    file: Type.String(), // relative to the results folder, e.g. profiles/r1-pg-pool-get-job-32.cpuprofile
    sampledMs: nonNegative,
    top: Type.Array(SelfTimeSchema), // by self time, largest first
  },
  { description: "the server's .cpuprofile of the window and its top self-time functions" },
);
export type WindowProfile = Static<typeof WindowProfileSchema>;
