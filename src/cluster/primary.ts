import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config.ts';
import type { ProcessReport } from '../http/schemas.ts';
import { migrateOnStart, ServerStartError } from '../server.ts';
import { combineReports } from './combine-reports.ts';
import { CLUSTER_ASK_TIMEOUT_MS, isClusterMessage, MSG, type ClusterMessage } from './messages.ts';

export interface RunningCluster {
  url: string;
  port: number;
  workers: number;
  /** Graceful stop of every worker (SIGTERM: each finishes its in-flight requests); SIGKILL after stopTimeoutMs. */
  close(): Promise<void>;
}

/** Environment variable that tells a forked `jobbench serve` it is worker N of a cluster of `workers`. */
export const CLUSTER_WORKERS_ENV = 'JOBBENCH_CLUSTER_WORKERS';

const STOP_TIMEOUT_MS = 8_000; // inside bench/targets/node.ts's 10 s budget for the whole server

/**
 * The primary of `jobbench serve --workers N`: migrates once, forks N workers that each run the same
 * `jobbench serve` command line (so each builds its own app and its own adapter: with pg-sync, its own
 * blocking connection), and forwards connections to them. On Linux node:cluster's default policy is
 * round-robin (SCHED_RR): the primary accepts every connection and hands it to the next worker, so a
 * keep-alive connection stays on one worker for its life. The primary serves no request itself; it
 * answers the workers' requests for the whole cluster's process report and metrics.
 */
export async function startClusterPrimary(
  config: Readonly<Config>,
  workers: number,
  options: { log?: (line: string) => void } = {},
): Promise<RunningCluster> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const url = await migrateOnStart(config);
  // Workers read DATABASE_URL from their environment; the primary has migrated already.
  const env = { DATABASE_URL: url, JOBBENCH_MIGRATE: 'off', [CLUSTER_WORKERS_ENV]: String(workers) };
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let nextId = 1;
  const reports = new Map<number, { want: number; got: ProcessReport[]; done: () => void }>();

  const live = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());

  async function clusterReport(reset: boolean): Promise<ProcessReport> {
    const targets = live();
    const id = nextId++;
    const got: ProcessReport[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLUSTER_ASK_TIMEOUT_MS - 500); // answer with whoever answered
      reports.set(id, {
        want: targets.length,
        got,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      for (const w of targets) w.send({ type: MSG.workerReportAsk, id, reset } satisfies ClusterMessage);
    });
    reports.delete(id);
    const cpu = process.cpuUsage();
    return combineReports(
      {
        pid: process.pid,
        uptimeS: process.uptime(),
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: process.memoryUsage.rss(),
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
      },
      got,
    );
  }

  cluster.on('message', (worker: Worker, m: unknown) => {
    if (!isClusterMessage(m)) return;
    const reply = (answer: ClusterMessage) => {
      if (!worker.isDead()) worker.send(answer);
    };
    if (m.type === MSG.workerReportAnswer) {
      const r = reports.get(m.id);
      if (!r) return;
      r.got.push(m.report);
      if (r.got.length >= r.want) r.done();
    } else if (m.type === MSG.clusterProcessAsk) {
      clusterReport(m.reset).then(
        (report) => reply({ type: MSG.clusterProcessAnswer, id: m.id, report }),
        (err: Error) => reply({ type: MSG.clusterProcessAnswer, id: m.id, error: err.message }),
      );
    } else if (m.type === MSG.clusterMetricsAsk) {
      aggregator.clusterMetrics().then(
        (body) => reply({ type: MSG.clusterMetricsAnswer, id: m.id, body }),
        (err: Error) => reply({ type: MSG.clusterMetricsAnswer, id: m.id, error: err.message }),
      );
    }
  });

  // Fork and wait until every worker listens; a worker that exits first fails the start.
  cluster.setupPrimary({ silent: false });
  let port = config.port;
  await new Promise<void>((resolve, reject) => {
    let listening = 0;
    const onListening = (_w: Worker, address: { port: number }) => {
      port = address.port;
      if (++listening === workers) {
        cluster.off('listening', onListening);
        cluster.off('exit', onEarlyExit);
        resolve();
      }
    };
    const onEarlyExit = (w: Worker, code: number | null, signal: string | null) => {
      cluster.off('listening', onListening);
      cluster.off('exit', onEarlyExit);
      stopping = true;
      for (const other of live()) other.process.kill('SIGKILL');
      reject(
        new ServerStartError(`worker ${w.id} exited with ${signal ?? code} before listening (see its error above)`),
      );
    };
    cluster.on('listening', onListening);
    cluster.on('exit', onEarlyExit);
    for (let i = 0; i < workers; i++) cluster.fork(env);
  });

  // Like gunicorn: a worker that dies while serving is replaced (the crash is logged).
  cluster.on('exit', (w: Worker, code: number | null, signal: string | null) => {
    if (stopping) return;
    log(`worker ${w.id} (pid ${w.process.pid}) exited with ${signal ?? code}: starting another`);
    cluster.fork(env);
  });

  const listenUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log(`listening on ${listenUrl} (adapter ${config.adapter}, pool max ${config.poolMax}, ${workers} worker processes)`);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    stopping = true;
    const running = live();
    await Promise.all(
      running.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const timer = setTimeout(() => w.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  return { url: listenUrl, port, workers, close: () => (closing ??= close()) };
}
