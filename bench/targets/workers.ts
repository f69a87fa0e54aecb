import type { TargetSpec } from './spec.ts';

/** What the process count of a target depends on (an external target has none of its own: 1). */
type WorkersInput = { adapter: string; poolMax: number; workers?: number };

/**
 * Worker processes of a Node target (`jobbench serve --workers N`). pg-sync blocks its process on each
 * query, so one process holds one DB connection and serves one request at a time; the fair baseline
 * against async pools of --pool-max connections is pg-sync with --pool-max worker processes, each with
 * its own connection (the Node analogue of gunicorn sync workers or a thread per request). That is the
 * default for benchmark runs; `--sync-workers N` sets it (1: the single blocking process). Every other
 * adapter runs in one process unless a spec says otherwise.
 */
export function targetWorkers(spec: WorkersInput): number {
  return spec.workers ?? (spec.adapter === 'pg-sync' ? spec.poolMax : 1);
}

/** DB connections a Node target holds at most: one per pg-sync process, else a pool per process. */
export function targetDbConnections(spec: WorkersInput): number {
  const workers = targetWorkers(spec);
  return spec.adapter === 'pg-sync' ? workers : workers * spec.poolMax;
}

/**
 * The targets of a plan with `--sync-workers` applied: each pg-sync target once per value (e.g. 1 and
 * 10: the single blocking process next to the process pool); other targets unchanged. Without values,
 * pg-sync keeps the default (workers = pool max).
 */
export function withSyncWorkers(targets: readonly TargetSpec[], syncWorkers?: readonly number[]): TargetSpec[] {
  if (!syncWorkers || syncWorkers.length === 0) return [...targets];
  return targets.flatMap((t) => (t.adapter === 'pg-sync' ? syncWorkers.map((workers) => ({ ...t, workers })) : [t]));
}

/** A label telling apart pg-sync targets that differ only by their number of processes. */
export function workersLabel(spec: WorkersInput): string | undefined {
  const workers = targetWorkers(spec);
  return spec.adapter === 'pg-sync' || workers > 1 ? `${workers} process${workers === 1 ? '' : 'es'}` : undefined;
}

/** What a cell records about its target's processes and connections (the ADR's fairness columns). */
export function workersCellFields(spec: WorkersInput) {
  const workers = targetWorkers(spec);
  return spec.adapter === 'pg-sync' || workers > 1
    ? { workers, dbConnections: targetDbConnections(spec) }
    : ({} as { workers?: number; dbConnections?: number });
}
