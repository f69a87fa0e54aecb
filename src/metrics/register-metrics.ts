import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from './create-metrics.ts';
import { CLIENT_CLOSED_STATUS, METRICS_PATH, UNMATCHED_ROUTE } from './names.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the metrics hooks (src/metrics/register-metrics.ts): route label, start time, state. */
    metricsRoute: string;
    metricsStartMs: number;
    metricsState: number;
  }
}

// metricsState: requests whose onRequest hook never ran (rejected before routing) are still
// counted once at the end, but must not decrement the in-flight gauge they never incremented.
const UNSEEN = 0;
const IN_FLIGHT = 1;
const DONE = 2;

/** The route TEMPLATE (`/jobs/:id`), never the raw URL: ids in labels would be unbounded series. */
function routeLabel(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
}

/**
 * Adds the HTTP metrics hooks and `GET /metrics` to the app. Call it on the root instance before
 * the routes are registered. Per request: one route lookup, two clock reads, one histogram
 * observation, one counter increment and two gauge updates — O(1), no allocation that grows
 * with anything. GET /metrics itself is not recorded, so scrapes do not show up as traffic.
 * `exposition` replaces this registry's text: a cluster worker serves the whole cluster's (src/cluster/).
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, exposition?: () => Promise<string>): void {
  const { registry, httpRequestDuration, httpRequests, httpRequestsInFlight } = metrics;
  app.decorateRequest('metricsRoute', '');
  app.decorateRequest('metricsStartMs', 0);
  app.decorateRequest('metricsState', UNSEEN);

  const finish = (request: FastifyRequest, statusCode: string, fallbackElapsedMs: number): void => {
    let durationMs: number;
    if (request.metricsState === DONE) return;
    if (request.metricsState === IN_FLIGHT) {
      httpRequestsInFlight.dec();
      durationMs = performance.now() - request.metricsStartMs;
    } else {
      request.metricsRoute = routeLabel(request);
      if (request.metricsRoute === METRICS_PATH) return;
      durationMs = fallbackElapsedMs;
    }
    request.metricsState = DONE;
    const labels = { method: request.method, route: request.metricsRoute, status_code: statusCode };
    httpRequestDuration.observe(labels, durationMs / 1_000);
    httpRequests.inc(labels);
  };

  app.addHook('onRequest', (request, _reply, done) => {
    const route = routeLabel(request);
    if (route !== METRICS_PATH) {
      request.metricsRoute = route;
      request.metricsStartMs = performance.now();
      request.metricsState = IN_FLIGHT;
      httpRequestsInFlight.inc();
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    finish(request, String(reply.statusCode), reply.elapsedTime);
    done();
  });
  // A client that hangs up before the answer (a load generator's timeout) would otherwise leave
  // the in-flight gauge one too high forever and never be counted.
  app.addHook('onRequestAbort', (request, done) => {
    finish(request, CLIENT_CLOSED_STATUS, 0);
    done();
  });

  app.get(METRICS_PATH, { logLevel: 'warn' }, async (_request, reply) => {
    const body = exposition ? await exposition() : await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(body);
  });
}
