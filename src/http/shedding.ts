import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../errors.ts';
import { RETRY_AFTER_S } from './error-reply.ts';

const OVERLOADED = ERRORS.JOBBENCH_ERR_OVERLOADED;
const OVERLOADED_BODY = { code: 'JOBBENCH_ERR_OVERLOADED', message: OVERLOADED.message };

// under-pressure averages the event-loop delay over each sample window; a shorter window than its 1 s
// default reacts within a few hundred requests of an overload, and costs one timer wake-up per window.
export const SHED_SAMPLE_INTERVAL_MS = 250;
// Probes and scrapes are answered under load too: a shed /health would make an orchestrator restart a
// server that is only busy, and the metrics are how an operator sees the shedding.
const NEVER_SHED = new Set(['/health', '/metrics']);

/**
 * Load shedding (serve --shed): while the event loop's mean delay over the last window is past
 * `maxDelayMs`, requests are answered 503 JOBBENCH_ERR_OVERLOADED with Retry-After before any parsing
 * or database work, so that the requests admitted keep their latency. Registered in the API's context,
 * so the runner's /internal/process reads are never shed.
 */
export async function registerShedding(app: FastifyInstance, maxDelayMs: number): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: maxDelayMs,
    sampleInterval: SHED_SAMPLE_INTERVAL_MS,
    // A value returned here is what under-pressure sends; undefined lets the request through.
    pressureHandler: (request, reply) => {
      if (NEVER_SHED.has(request.url.split('?')[0]!)) return undefined;
      reply
        .code(OVERLOADED.status)
        .header('retry-after', String(RETRY_AFTER_S))
        .type('application/json; charset=utf-8');
      return OVERLOADED_BODY as unknown as void; // typed void | Promise<void>, but any value is sent as the body
    },
  });
}
