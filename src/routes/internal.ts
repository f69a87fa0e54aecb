import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { JobRepository } from '../domain/job-repository.ts';
import type { ClusterView } from '../cluster/messages.ts';
import type { ProcessMonitor } from '../http/process-monitor.ts';
import { ERROR_RESPONSES, ProcessQuery, ProcessSchema } from '../http/schemas.ts';

export const INTERNAL_PROCESS_PATH = '/internal/process';

/**
 * GET /internal/process: the server's own CPU, memory, event-loop delay and pool gauges, read by the
 * benchmark runner before and after each measured window (?reset=1 starts a new event-loop window).
 * Registered outside the metrics context (src/app.ts) so that these reads never show up as traffic,
 * and it never touches the database. In a cluster worker (`serve --workers N`) it answers for the whole
 * cluster (src/cluster/combine-reports.ts), since the runner cannot choose which worker it reaches.
 */
export const internalRoutes: FastifyPluginAsyncTypebox<{
  repo: JobRepository;
  monitor: ProcessMonitor;
  cluster?: ClusterView;
}> = async (app, { repo, monitor, cluster }) => {
  app.get(
    INTERNAL_PROCESS_PATH,
    { schema: { querystring: ProcessQuery, response: { 200: ProcessSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (cluster) return cluster.processReport(request.query.reset === '1');
      let poolStats = null;
      try {
        poolStats = repo.poolStats();
      } catch {
        // a closed pool: the process numbers are still worth reporting
      }
      return monitor.report(poolStats, request.query.reset === '1');
    },
  );
};
