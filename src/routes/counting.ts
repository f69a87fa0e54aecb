import type { FastifyPluginAsync } from 'fastify';

export const INTERNAL_GC_PATH = '/internal/gc';

/**
 * POST /internal/gc, in counting mode only (JOBBENCH_COUNTING=on, node --expose-gc): two full garbage
 * collections, so that the instruction counter's window starts with an empty young generation. Then
 * the scavenges inside the window fall at the same allocations in every start, instead of one more or
 * one fewer landing in a window of a few hundred requests (about ±0.5% of a get-job count). 204 when
 * done, 501 when node was started without --expose-gc.
 */
export const countingRoutes: FastifyPluginAsync = async (app) => {
  app.post(INTERNAL_GC_PATH, async (_request, reply) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (typeof gc !== 'function') return reply.code(501).send();
    gc();
    gc();
    return reply.code(204).send();
  });
};
