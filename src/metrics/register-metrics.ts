import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
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

type Recorder = { observe(seconds: number): void; inc(): void };

/**
 * Adds the HTTP metrics hooks and `GET /metrics` to the app. Call it on the root instance before
 * the routes are registered. Per request: two clock reads, one histogram observation, one counter
 * increment and two gauge updates, O(1). What does not depend on the request is done once: each route's
 * label is fixed when the route is registered (a route-level hook, added by onRoute, sets it: reading
 * request.routeOptions builds a 12-field object per access), and prom-client's children for a
 * (method, route, status) are resolved once and cached (`labels()` validates and hashes each time).
 * GET /metrics itself is not recorded, so scrapes do not show up as traffic.
 * `exposition` replaces this registry's text: a cluster worker serves the whole cluster's (src/cluster/).
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, exposition?: () => Promise<string>): void {
  const { registry, httpRequestDuration, httpRequests, httpRequestsInFlight } = metrics;
  app.decorateRequest('metricsRoute', UNMATCHED_ROUTE); // matched routes overwrite it (route-level hook)
  app.decorateRequest('metricsStartMs', 0);
  app.decorateRequest('metricsState', UNSEEN);

  // Bounded: methods × route templates × status codes, the same series the histogram holds anyway.
  const recorders = new Map<string, Recorder>();
  const recorder = (method: string, route: string, statusCode: string): Recorder => {
    const key = `${method} ${route} ${statusCode}`;
    let r = recorders.get(key);
    if (r === undefined) {
      const labels = { method, route, status_code: statusCode };
      const histogram = httpRequestDuration.labels(labels);
      const counter = httpRequests.labels(labels);
      r = { observe: (s) => histogram.observe(s), inc: () => counter.inc() };
      recorders.set(key, r);
    }
    return r;
  };

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
    const r = recorder(request.method, request.metricsRoute, statusCode);
    r.observe(durationMs / 1_000);
    r.inc();
  };

  app.addHook('onRoute', (route) => {
    const label = route.url ?? route.path;
    const own: onRequestHookHandler =
      label === METRICS_PATH
        ? (request, _reply, done) => {
            // Scrapes are not traffic: undo what the app-level hook counted.
            httpRequestsInFlight.dec();
            request.metricsState = DONE;
            done();
          }
        : (request, _reply, done) => {
            request.metricsRoute = label;
            done();
          };
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [own] : [own, ...(Array.isArray(existing) ? existing : [existing])];
  });
  app.addHook('onRequest', (request, _reply, done) => {
    request.metricsStartMs = performance.now();
    request.metricsState = IN_FLIGHT;
    httpRequestsInFlight.inc();
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
