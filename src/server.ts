import { readFileSync } from 'node:fs';
import pg from 'pg';
import { HarnessError } from '../shared/harness-errors.ts';
import { createRepository } from './adapters/registry.ts';
import { buildApp, type App } from './app.ts';
import type { WorkerCluster } from './cluster/worker.ts';
import { redactUrl, type Config } from './config.ts';
import type { DbConfig, JobRepository } from './domain/job-repository.ts';
import { migrate } from './db/migrate.ts';
import { createProcessMonitor } from './http/process-monitor.ts';
import { createMetrics, type Metrics } from './metrics/index.ts';
import { HARNESS_CONNECTIONS, targetApplicationName } from '../shared/application-names.ts';

export interface RunningServer {
  app: App;
  url: string; // http://host:port, with the port actually bound (--port 0 picks a free one)
  port: number;
  /** Graceful stop: no new connections, in-flight requests finish, then the pool closes. Idempotent. */
  close(): Promise<void>;
}

/** Why the server could not start (JOBBENCH_CLI_ERR_SERVER_START); the CLI prints the message and exits 2. */
export class ServerStartError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JOBBENCH_CLI_ERR_SERVER_START', message, options);
    this.name = 'ServerStartError';
  }
}

const CLOSE_IDLE_EVERY_MS = 50;
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

export function dbConfigFor(config: Readonly<Config>, url: string): DbConfig {
  return {
    url,
    poolMax: config.poolMax,
    connectTimeoutMs: config.connectTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    applicationName: targetApplicationName(config.adapter),
    prepare: config.prepare,
    pipeline: config.pipeline,
  };
}

function formatUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Counts the adapter's backends for the metrics (postgres.js exposes no pool gauges). A separate
 * one-connection pool under its own application_name, so that it never counts itself nor takes a
 * connection from the pool being measured.
 */
function backendsSampler(url: string, applicationName: string) {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    idleTimeoutMillis: 5_000,
    application_name: HARNESS_CONNECTIONS.metrics,
  });
  pool.on('error', () => {});
  return {
    sample: async () => {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [applicationName],
      );
      return rows[0]!.n;
    },
    close: () => pool.end(),
  };
}

/**
 * The composition root: migrates the database if needed, builds the configured adapter's repository,
 * the metrics when they are on, and the app; listens on host:port and prints one line to stderr.
 */
/** The database URL of a server about to start, migrated when the config asks for it; one line if it fails. */
export async function migrateOnStart(config: Readonly<Config>): Promise<string> {
  const url = config.databaseUrl;
  if (!url) throw new ServerStartError('no database: set DATABASE_URL or let `jobbench serve` provision one');
  try {
    if (config.migrate) await migrate(url);
  } catch (err) {
    throw new ServerStartError(`cannot reach or migrate the database at ${redactUrl(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return url;
}

export async function startServer(
  config: Readonly<Config>,
  options: { log?: (line: string) => void; cluster?: WorkerCluster } = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const url = await migrateOnStart(config);

  const dbConfig = dbConfigFor(config, url);
  let repo: JobRepository;
  try {
    repo = await createRepository(config.adapter, dbConfig);
  } catch (err) {
    throw new ServerStartError(`adapter ${config.adapter} cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
  try {
    await repo.ping();
  } catch (err) {
    await repo.close().catch(() => {});
    throw new ServerStartError(
      `adapter ${config.adapter} cannot reach the database at ${redactUrl(url)}: ${(err as Error).message}`,
      { cause: err },
    );
  }

  let metrics: Metrics | undefined;
  let sampler: ReturnType<typeof backendsSampler> | undefined;
  if (config.metrics) {
    sampler = backendsSampler(url, dbConfig.applicationName);
    metrics = createMetrics({
      adapter: config.adapter,
      poolMax: config.poolMax,
      version: VERSION,
      poolStats: () => repo.poolStats(),
      sampleBackends: sampler.sample,
      // prom-client's defaults poll the event loop and observe GC: work that grows with wall time
      defaultMetrics: !config.counting,
    });
  }

  // The event-loop histogram's 1 kHz timer runs only while a client is connected (process-monitor.ts).
  let listening: { getConnections(cb: (err: Error | null, count: number) => void): void } | undefined;
  const monitor = createProcessMonitor({
    eventLoop: !config.counting,
    connected: () =>
      new Promise((resolve) =>
        listening ? listening.getConnections((err, count) => resolve(!err && count > 0)) : resolve(true),
      ),
  });
  options.cluster?.attach({
    report: (reset) => {
      let poolStats = null;
      try {
        poolStats = repo.poolStats();
      } catch {
        // a closed pool: the process numbers are still worth reporting
      }
      return monitor.report(poolStats, reset);
    },
    ...(metrics && { registry: metrics.registry }),
  });
  const app = buildApp({
    repo,
    adapter: config.adapter,
    config,
    monitor,
    ...(metrics && { metrics }),
    ...(options.cluster && { cluster: options.cluster.view }),
    profiler: config.profiler,
  });
  // onClose runs after the HTTP server has stopped and in-flight requests have finished.
  app.addHook('onClose', async () => {
    await repo.close();
    await sampler?.close();
  });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? 'the port is already in use' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new ServerStartError(`cannot listen on ${formatUrl(config.host, config.port)}: ${why}`, { cause: err });
  }
  listening = app.server;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const listenUrl = formatUrl(config.host, port);
  log(`listening on ${listenUrl} (adapter ${config.adapter}, pool max ${config.poolMax})`);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    // server.close() only drops the keep-alive connections that are idle when it is called; one that
    // was busy would otherwise stay open (and keep us waiting) for the whole keepAliveTimeout once its
    // response is sent. Polling here costs nothing per request, unlike a hook on the hot path.
    const reaper = setInterval(() => app.server.closeIdleConnections(), CLOSE_IDLE_EVERY_MS);
    try {
      await app.close();
    } finally {
      clearInterval(reaper);
    }
  };
  return { app, url: listenUrl, port, close: () => (closing ??= close()) };
}
