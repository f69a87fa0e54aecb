import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Metrics } from './create-metrics.ts';
import { CLIENT_CLOSED_STATUS, METRICS_PATH, UNMATCHED_ROUTE } from './names.ts';
import type { HistogramSeries } from './series-histogram.ts';

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
 * the routes are registered. Per request: one route-level hook, two clock reads, three map lookups and
 * one series observation (series-histogram.ts), O(1). What does not depend on the request is done once:
 * each route's label is fixed when the route is registered (the route-level hook, added by onRoute, sets
 * it: reading request.routeOptions builds a 12-field object per access), and each (route, method,
 * status) series is resolved once and kept.
 * GET /metrics itself is not recorded, so scrapes do not show up as traffic.
 * `exposition` replaces this registry's text: a cluster worker serves the whole cluster's (src/cluster/).
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, exposition?: () => Promise<string>): void {
  const { registry, httpRequestDuration, httpRequestsInFlight } = metrics;
  app.decorateRequest('metricsRoute', UNMATCHED_ROUTE); // matched routes overwrite it (route-level hook)
  app.decorateRequest('metricsStartMs', 0);
  app.decorateRequest('metricsState', UNSEEN);

  // Bounded: route templates × methods × status codes, the same series the histogram holds anyway.
  // Nested maps rather than one string key: no string is built per request.
  const recorders = new Map<string, Map<string, Map<number, HistogramSeries>>>();
  const recorder = (route: string, method: string, statusCode: number): HistogramSeries => {
    let byMethod = recorders.get(route);
    if (byMethod === undefined) recorders.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let r = byStatus.get(statusCode);
    if (r === undefined) {
      r = httpRequestDuration.series({ method, route, status_code: String(statusCode) });
      byStatus.set(statusCode, r);
    }
    return r;
  };

  const finish = (request: FastifyRequest, statusCode: number, fallbackElapsedMs: number): void => {
    let durationMs: number;
    if (request.metricsState === DONE) return;
    if (request.metricsState === IN_FLIGHT) {
      httpRequestsInFlight.count--;
      durationMs = performance.now() - request.metricsStartMs;
    } else {
      request.metricsRoute = routeLabel(request);
      if (request.metricsRoute === METRICS_PATH) return;
      durationMs = fallbackElapsedMs;
    }
    request.metricsState = DONE;
    recorder(request.metricsRoute, request.method, statusCode).observe(durationMs / 1_000);
  };

  app.addHook('onRoute', (route) => {
    const label = route.url ?? route.path;
    // Scrapes are not traffic: never counted, never in flight.
    const own: onRequestHookHandler =
      label === METRICS_PATH
        ? (request, _reply, done) => {
            request.metricsState = DONE;
            done();
          }
        : (request, _reply, done) => {
            request.metricsRoute = label;
            request.metricsStartMs = performance.now();
            request.metricsState = IN_FLIGHT;
            httpRequestsInFlight.count++;
            done();
          };
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [own] : [own, ...(Array.isArray(existing) ? existing : [existing])];
  });
  // Requests no route hook saw (404s, URLs rejected before routing) are counted here with Fastify's
  // elapsed time; they are never in flight in the gauge.
  app.addHook('onResponse', (request, reply, done) => {
    finish(request, reply.statusCode, reply.elapsedTime);
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
