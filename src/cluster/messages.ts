import type { ProcessReport } from '../http/schemas.ts';

/**
 * The IPC messages between the primary of `jobbench serve --workers N` and its workers. A worker that
 * is asked for GET /internal/process or GET /metrics cannot see its siblings, so it asks the primary,
 * which asks every worker (the asking one included) and answers with the whole cluster's view.
 */
export const MSG = {
  clusterProcessAsk: 'jobbench:cluster-process?', // worker -> primary: { id, reset }
  clusterProcessAnswer: 'jobbench:cluster-process!', // primary -> worker: { id, report } | { id, error }
  workerReportAsk: 'jobbench:worker-report?', // primary -> every worker: { id, reset }
  workerReportAnswer: 'jobbench:worker-report!', // worker -> primary: { id, report }
  clusterMetricsAsk: 'jobbench:cluster-metrics?', // worker -> primary: { id }
  clusterMetricsAnswer: 'jobbench:cluster-metrics!', // primary -> worker: { id, body } | { id, error }
} as const;

export type ClusterMessage =
  | { type: typeof MSG.clusterProcessAsk; id: number; reset: boolean }
  | { type: typeof MSG.clusterProcessAnswer; id: number; report?: ProcessReport; error?: string }
  | { type: typeof MSG.workerReportAsk; id: number; reset: boolean }
  | { type: typeof MSG.workerReportAnswer; id: number; report: ProcessReport }
  | { type: typeof MSG.clusterMetricsAsk; id: number }
  | { type: typeof MSG.clusterMetricsAnswer; id: number; body?: string; error?: string };

export function isClusterMessage(value: unknown): value is ClusterMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' && (Object.values(MSG) as string[]).includes(type);
}

/** What a worker's app serves instead of its own numbers: the whole cluster's. */
export interface ClusterView {
  readonly workers: number;
  processReport(reset: boolean): Promise<ProcessReport>;
  metrics(): Promise<string>;
}

export const CLUSTER_ASK_TIMEOUT_MS = 3_000; // a worker blocked in querySync answers within one query
