import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { JobRepository } from '../domain/job-repository.ts';
import { JobbenchError, isJobbenchError } from '../errors.ts';
import { ERROR_RESPONSES, HealthSchema, ReadySchema } from '../http/schemas.ts';

/** GET /health (never touches the database: the ceiling of the HTTP layer) and GET /ready (pings it). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ repo: JobRepository }> = async (app, { repo }) => {
  // No querystring schema on purpose: probes ignore query strings, and /health must stay minimal.
  app.get('/health', { schema: { response: { 200: HealthSchema } } }, async () => ({ status: 'ok' as const }));

  app.get('/ready', { schema: { response: { 200: ReadySchema, ...ERROR_RESPONSES } } }, async () => {
    try {
      await repo.ping();
    } catch (err) {
      // Whatever the driver threw, "not ready" is the answer: a 503 the caller can retry.
      if (isJobbenchError(err) && err.status === 503) throw err;
      throw new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE', undefined, { cause: err });
    }
    return { status: 'ready' as const };
  });
};
