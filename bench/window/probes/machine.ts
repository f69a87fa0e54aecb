/**
 * The machine outside the run (DESIGN.md rule 12): over the measured window, the CPU processes used on
 * this machine (/proc/stat) minus the CPU of every process the run started or uses — this harness and
 * its descendants (the load tool, the servers under test, Toxiproxy, PgBouncer, an embedded PostgreSQL)
 * and, when PostgreSQL runs here, its whole cluster (the postmaster's tree: every backend and background
 * worker). What remains is other processes' CPU, taken from the cores the window measured on: above the
 * threshold the window is `disturbed` (measured again once by the schedule, kept out of verdicts if it
 * stays so). An external target's own processes are not known: its window is never called disturbed.
 */
import { commOf, cpuOfTrees, machineCpuUs, ownCpuBetween } from '../../host/procfs.ts';
import { postmasterOf } from '../../host/affinity.ts';
import type { Validity } from '../../results/validity.ts';
import type { Probe, ProbeContext, ProbeReport } from '../probe.ts';

export const DISTURBED_THRESHOLD_PERCENT = 10; // of one core: other processes' CPU a window tolerates

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The postmaster of the cluster the window's connection reaches, when it runs here; else null. */
async function localPostmaster(ctx: ProbeContext): Promise<number | null> {
  try {
    const [row] = await ctx.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    if (!row || commOf(row.pid) !== 'postgres') return null;
    return postmasterOf(row.pid);
  } catch {
    return null; // the sampler recorded the loss; the foreign share then includes PostgreSQL (said in the note)
  }
}

export function machineProbe(thresholdPercent = DISTURBED_THRESHOLD_PERCENT): Probe {
  let roots: number[] = [];
  let external = false;
  let note: string | undefined;
  let t0 = 0;
  let machine0 = { processesUs: 0, stealUs: 0 };
  let ours0 = new Map<number, number>();
  return {
    name: 'machine',
    async start(ctx) {
      external = ctx.spec.kind === 'external';
      const postmaster = await localPostmaster(ctx);
      roots = postmaster === null ? [process.pid] : [process.pid, postmaster];
      note =
        postmaster === null
          ? "PostgreSQL's processes are not visible here (another machine or pid namespace): counted as outside the run"
          : undefined;
      t0 = performance.now();
      machine0 = machineCpuUs();
      ours0 = cpuOfTrees(roots);
    },
    async stop(): Promise<ProbeReport> {
      const machine1 = machineCpuUs();
      const ours = ownCpuBetween(ours0, cpuOfTrees(roots));
      const wallUs = (performance.now() - t0) * 1000;
      if (wallUs <= 0) return {};
      const percent = (us: number) => round1((Math.max(0, us) / wallUs) * 100);
      const foreign = percent(machine1.processesUs - machine0.processesUs - ours);
      const validity: Validity = {
        foreignCpuPercent: foreign,
        stealPercent: percent(machine1.stealUs - machine0.stealUs),
        thresholdPercent,
        disturbed: !external && foreign >= thresholdPercent,
      };
      const notes = [
        ...(note ? [note] : []),
        ...(external ? ["an external target's own processes count as outside the run: not judged"] : []),
      ];
      if (notes.length > 0) validity.foreignNote = notes.join('; ');
      return { round: { validity } };
    },
  };
}
