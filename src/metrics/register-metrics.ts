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
// ABANDONED: the client hung up; counted (as 499), but its handler is still running, so the request
// stays in flight until the handler answers the gone socket (Fastify runs the handler and onSend for it).
const UNSEEN = 0;
const IN_FLIGHT = 1;
const DONE = 2;
const ABANDONED = 3;

/** The route TEMPLATE (`/jobs/:id`), never the raw URL: ids in labels would be unbounded series. */
function routeLabel(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
}

/**
 * Adds the HTTP metrics hooks and `GET /metrics` to the app. Call it on the root instance before
 * the routes are registered. Per request: one route-level onRequest hook, one onSend hook, two clock
 * reads, three map lookups and one series observation (series-histogram.ts), O(1). What does not depend
 * on the request is done once: each route's label is fixed when the route is registered (the route-level
 * hook, added by onRoute, sets it: reading request.routeOptions builds a 12-field object per access), and
 * each (route, method, status) series is resolved once and kept.
 *
 * A request ends at onSend (its body serialised, about to be written), not at onResponse (written):
 * any onResponse hook makes Fastify add 'finish' and 'error' listeners to every response and run a
 * hook chain after it, about 3,800 instructions per /health request where onSend costs 400
 * (scripts/request-path-profile.ts). What is left out is the synchronous write of a few hundred bytes
 * into the socket. Requests that no route hook saw (404s, URLs rejected before routing) are timed from
 * the not-found handler's onRequest hook this returns (pass it to setNotFoundHandler: Fastify runs every
 * lifecycle hook given there, though its types name only preValidation and preHandler), or not at all.
 * GET /metrics itself is not recorded, so scrapes do not show up as traffic.
 * `exposition` replaces this registry's text: a cluster worker serves the whole cluster's (src/cluster/).
 */
export function registerMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  exposition?: () => Promise<string>,
): { notFoundOnRequest: onRequestHookHandler } {
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

  /** Counts the request once; `abandoned`: the client hung up and the handler has not answered yet. */
  const finish = (request: FastifyRequest, statusCode: number, abandoned = false): void => {
    const state = request.metricsState;
    if (state === DONE) return;
    if (state === ABANDONED) {
      if (!abandoned) {
        httpRequestsInFlight.count--; // counted when the client hung up; the handler has answered now
        request.metricsState = DONE;
      }
      return;
    }
    if (state === UNSEEN) {
      request.metricsRoute = routeLabel(request);
      if (request.metricsRoute === METRICS_PATH) return;
    } else if (!abandoned) httpRequestsInFlight.count--;
    // metricsStartMs is 0 only when no hook saw the request start (a 404 in an app that did not pass
    // notFoundOnRequest to its not-found handler): counted, with no duration to tell
    const durationMs = request.metricsStartMs === 0 ? 0 : performance.now() - request.metricsStartMs;
    request.metricsState = abandoned && state === IN_FLIGHT ? ABANDONED : DONE;
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
  // Every reply, 404s and errors included, passes here once; a second send (none in our routes) is ignored.
  app.addHook('onSend', (request, reply, payload, done) => {
    finish(request, reply.statusCode);
    done(null, payload);
  });
  // A client that hangs up before the answer (a load generator's timeout, or the end of its run) is
  // counted now, as 499, and stays in flight until its handler answers: a window's edge waits for it
  // (bench/window/server-requests.ts), so the queries the handler still makes are counted on the same
  // side of the edge as the request.
  app.addHook('onRequestAbort', (request, done) => {
    finish(request, CLIENT_CLOSED_STATUS, true);
    done();
  });

  // 404s: their label is "unmatched" (routeLabel); they are never in flight in the gauge.
  const notFoundOnRequest: onRequestHookHandler = (request, _reply, done) => {
    request.metricsStartMs = performance.now();
    done();
  };

  app.get(METRICS_PATH, { logLevel: 'warn' }, async (_request, reply) => {
    const body = exposition ? await exposition() : await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(body);
  });
  return { notFoundOnRequest };
}
