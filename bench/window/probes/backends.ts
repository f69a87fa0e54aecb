/**
 * The target's PostgreSQL backends over the window: the pids pg_stat_activity lists for its
 * application_name (or, for an external target without one, every client backend of the database but
 * the harness's), every SAMPLE_INTERVAL_MS on the window's one connection, so the server is not asked to
 * count itself. The largest count is the Round's dbBackends; the pids are what the cpu probe reads.
 */
import { samplePeriodically } from '../../host/periodic.ts';
import { HARNESS_APPLICATION_PATTERNS } from '../../../shared/application-names.ts';
import type { EvidencePlan } from '../../targets/kinds.ts';
import { SAMPLE_INTERVAL_MS, type Probe, type ProbeContext, type ProbeReport, type WindowEnd } from '../probe.ts';

export interface BackendsProbe extends Probe {
  /** The pids of the last sample. */
  pids(): number[];
  /** Samples now and returns the pids; those of the last good sample when the database cannot be read. */
  refresh(): Promise<number[]>;
}

function backendsQuery(backends: EvidencePlan['backends']): { text: string; values: unknown[] } {
  return 'applicationName' in backends
    ? {
        text: 'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        values: [backends.applicationName],
      }
    : {
        text: "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND NOT (application_name LIKE ANY($1))",
        values: [[...HARNESS_APPLICATION_PATTERNS]],
      };
}

export function backendsProbe(intervalMs = SAMPLE_INTERVAL_MS): BackendsProbe {
  let ctx: ProbeContext | undefined;
  let sampling: { stop(): Promise<void> } | undefined;
  let pids: number[] = [];
  let max = 0;
  const sample = async (): Promise<void> => {
    const query = backendsQuery(ctx!.evidence.backends);
    try {
      const rows = await ctx!.db.query<{ pid: number }>(query.text, query.values);
      pids = rows.map((r) => r.pid);
      max = Math.max(max, pids.length);
    } catch (err) {
      await ctx!.db.lose(err); // as any failed sample: recorded, and the next one reconnects
    }
  };
  return {
    name: 'backends',
    async start(context) {
      ctx = context;
      sampling = await samplePeriodically(intervalMs, sample);
    },
    async stop(end: WindowEnd): Promise<ProbeReport> {
      await sampling?.stop(); // takes a last sample
      return { round: end.measurement ? { dbBackends: max } : {} };
    },
    pids: () => [...pids],
    async refresh() {
      await sample();
      return [...pids];
    },
  };
}
