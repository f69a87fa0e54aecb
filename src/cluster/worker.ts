import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { ProcessReport } from '../http/schemas.ts';
import { CLUSTER_ASK_TIMEOUT_MS, isClusterMessage, MSG, type ClusterMessage, type ClusterView } from './messages.ts';

/** What one worker contributes when the primary asks: its own report, and its registry for prom-client. */
export interface WorkerSources {
  report(reset: boolean): ProcessReport;
  registry?: Registry;
}

export interface WorkerCluster {
  view: ClusterView;
  /** Starts answering the primary's requests with this worker's numbers. */
  attach(sources: WorkerSources): void;
}

/**
 * The worker's side of `jobbench serve --workers N` (node:cluster). GET /internal/process and GET /metrics
 * land on whichever worker the primary handed the connection to; the view asks the primary for the whole
 * cluster's numbers instead of answering with this worker's alone. prom-client answers the primary's
 * metrics requests itself (AggregatorRegistry) from the registry given to attach().
 */
export function workerCluster(workers: number): WorkerCluster {
  if (!cluster.isWorker || !process.send) throw new Error('workerCluster() runs in a node:cluster worker only');
  const send = (m: ClusterMessage) => process.send!(m);
  let nextId = 1;
  const pending = new Map<number, (m: ClusterMessage) => void>();
  let sources: WorkerSources | undefined;

  process.on('message', (m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.type === MSG.workerReportAsk) {
      if (sources) send({ type: MSG.workerReportAnswer, id: m.id, report: sources.report(m.reset) });
      return;
    }
    if (m.type === MSG.clusterProcessAnswer || m.type === MSG.clusterMetricsAnswer) pending.get(m.id)?.(m);
  });

  function ask(m: ClusterMessage & { id: number }): Promise<ClusterMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(m.id);
        reject(new Error(`the cluster primary did not answer within ${CLUSTER_ASK_TIMEOUT_MS} ms`));
      }, CLUSTER_ASK_TIMEOUT_MS);
      pending.set(m.id, (answer) => {
        clearTimeout(timer);
        pending.delete(m.id);
        resolve(answer);
      });
      send(m);
    });
  }

  const view: ClusterView = {
    workers,
    async processReport(reset) {
      const answer = await ask({ type: MSG.clusterProcessAsk, id: nextId++, reset });
      if (answer.type !== MSG.clusterProcessAnswer || !answer.report) throw new Error(answerError(answer));
      return answer.report;
    },
    async metrics() {
      const answer = await ask({ type: MSG.clusterMetricsAsk, id: nextId++ });
      if (answer.type !== MSG.clusterMetricsAnswer || answer.body === undefined) throw new Error(answerError(answer));
      return answer.body;
    },
  };
  return {
    view,
    attach(s) {
      sources = s;
      if (s.registry) {
        AggregatorRegistry.setRegistries([s.registry]);
        // prom-client adds its worker-side listener (answering the primary's metrics requests) only when
        // an AggregatorRegistry is constructed, in the worker too.
        new AggregatorRegistry();
      }
    },
  };
}

function answerError(m: ClusterMessage): string {
  return 'error' in m && m.error ? m.error : 'the cluster primary gave no answer';
}
