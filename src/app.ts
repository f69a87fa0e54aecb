import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { pino } from 'pino';
import type { AdapterName } from './adapters/registry.ts';
import type { ClusterView } from './cluster/messages.ts';
import { DEFAULTS, type Config } from './config.ts';
import type { JobRepository } from './domain/job-repository.ts';
import { JobbenchError } from './errors.ts';
import { sendError } from './http/error-reply.ts';
import { injectCpu, injectQueries, injectWork } from './http/inject-faults.ts';
import { createProcessMonitor, type ProcessMonitor } from './http/process-monitor.ts';
import { registerShedding } from './http/shedding.ts';
import { formatValidationError, validatorCompiler } from './http/validator.ts';
import { instrumentRepository, registerMetrics, type Metrics } from './metrics/index.ts';
import { healthRoutes } from './routes/health.ts';
import { internalRoutes } from './routes/internal.ts';
import { profilerRoutes } from './routes/profiler.ts';
import { jobRoutes } from './routes/jobs.ts';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AppDeps {
  repo: JobRepository;
  adapter: AdapterName;
  config: Readonly<
    Pick<Config, 'bodyLimitBytes' | 'logLevel'> &
      Partial<Pick<Config, 'injectCpuUs' | 'injectQueries' | 'injectWork' | 'shed' | 'shedMaxDelayMs' | 'counting'>>
  >;
  /** Prometheus metrics (src/metrics/); absent with --metrics off, and then nothing is recorded. */
  metrics?: Metrics;
  /** The process monitor, when the caller needs it too (a cluster worker reports it to the primary). */
  monitor?: ProcessMonitor;
  /** In a `serve --workers N` worker: /internal/process and /metrics answer for the whole cluster. */
  cluster?: ClusterView;
  /** POST /internal/profile/start and /stop (src/routes/profiler.ts); off unless JOBBENCH_PROFILER=on. */
  profiler?: boolean;
}

// Logs go to stderr: stdout belongs to the CLI's output (serve --json prints its ready line there).
const loggerOptions = (level: string, adapter: AdapterName) => ({ level, base: { pid: process.pid, adapter } });

/**
 * Builds the API from its dependencies without listening (src/server.ts listens; tests use inject).
 * The caller owns `repo` and closes it.
 */
export function buildApp(deps: AppDeps): App {
  const { config } = deps;
  // Per-request log lines would cost more than a point lookup; only debug and trace want them, and only
  // then is Fastify given a logger. Any logger makes Fastify do per-request work even when it logs
  // nothing: a child logger (or, with a factory of ours, a check of the one returned), the response's
  // 'finish' and 'error' listeners, two clock reads: about 6,500 of plain Fastify's 68,800 instructions
  // per /health request (scripts/request-path-profile.ts). Otherwise the app's own pino logger writes the
  // lines that matter (sendError's 500s, with the request id), and Fastify's internal warnings go unlogged.
  const requestLogging = ['debug', 'trace'].includes(config.logLevel);
  const silent = config.logLevel === 'silent';
  const appLog: FastifyBaseLogger | undefined =
    silent || requestLogging ? undefined : pino(loggerOptions(config.logLevel, deps.adapter), process.stderr);
  const errorLog = (request: { log: FastifyBaseLogger }) => appLog ?? request.log;
  const app = Fastify({
    logger: requestLogging && { ...loggerOptions(config.logLevel, deps.adapter), stream: process.stderr },
    bodyLimit: config.bodyLimitBytes,
    schemaErrorFormatter: formatValidationError,
    // Requests that race the shutdown are served (with Connection: close) rather than answered with
    // Fastify's own 503 body, which is not in our catalogue; the pool closes after they finish.
    return503OnClosing: false,
    // Malformed URLs (%E0) and over-long path parameters reach our error body too.
    frameworkErrors: (err, request, reply) => sendError(reply, err, errorLog(request)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // JSON only: without this, a text/plain body would be parsed as a string and fail as a 400.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err, request, reply) => sendError(reply, err, errorLog(request)));

  const monitor = deps.monitor ?? createProcessMonitor();
  app.addHook('onClose', async () => monitor.stop());
  // Outside the context below: the runner's reads of process stats are not API traffic.
  app.register(internalRoutes, { repo: deps.repo, monitor, ...(deps.cluster && { cluster: deps.cluster }) });
  if (deps.profiler) app.register(profilerRoutes);

  app.register(async (api) => {
    if (config.shed) await registerShedding(api, config.shedMaxDelayMs ?? DEFAULTS.shedMaxDelayMs);
    // ── metrics integration point: hooks + GET /metrics, and the repository timed per operation ──
    const timed = deps.metrics ? instrumentRepository(deps.repo, deps.metrics) : deps.repo;
    // Fault injection (gate calibration), off by default: then neither the hook nor the wrapper exists.
    const repo = config.injectQueries ? injectQueries(timed, config.injectQueries) : timed;
    if (config.injectCpuUs) injectCpu(api, config.injectCpuUs);
    if (config.injectWork) injectWork(api, config.injectWork);
    const metricsHooks =
      deps.metrics && registerMetrics(api, deps.metrics, deps.cluster && (() => deps.cluster!.metrics()));
    api.setNotFoundHandler(
      // onRequest is honoured here though not in Fastify's types (test/http/metrics-wiring.test.ts times a 404)
      { ...(metricsHooks && { onRequest: metricsHooks.notFoundOnRequest }) } as object,
      (request, reply) =>
        sendError(
          reply,
          new JobbenchError(
            'JOBBENCH_ERR_ROUTE_NOT_FOUND',
            `No route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`,
          ),
        ),
    );
    await api.register(healthRoutes, { repo });
    await api.register(jobRoutes, { repo });
  });
  return app;
}
