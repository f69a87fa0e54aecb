import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { JobRepository } from '../domain/job-repository.ts';
import type { ProcessMonitor } from '../http/process-monitor.ts';
import { ERROR_RESPONSES, ProcessQuery, ProcessSchema } from '../http/schemas.ts';

export const INTERNAL_PROCESS_PATH = '/internal/process';

/**
 * GET /internal/process: the server's own CPU, memory, event-loop delay and pool gauges, read by the
 * benchmark runner before and after each measured window (?reset=1 starts a new event-loop window).
 * Registered outside the metrics context (src/app.ts) so that these reads never show up as traffic,
 * and it never touches the database.
 */
export const internalRoutes: FastifyPluginAsyncTypebox<{ repo: JobRepository; monitor: ProcessMonitor }> = async (
  app,
  { repo, monitor },
) => {
  app.get(
    INTERNAL_PROCESS_PATH,
    { schema: { querystring: ProcessQuery, response: { 200: ProcessSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      let poolStats = null;
      try {
        poolStats = repo.poolStats();
      } catch {
        // a closed pool: the process numbers are still worth reporting
      }
      reply.header('cache-control', 'no-store');
      return monitor.report(poolStats, request.query.reset === '1');
    },
  );
};
