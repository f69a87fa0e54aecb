import type { Config } from '../config.ts';
import { startServer } from '../server.ts';
import { workerCluster } from './worker.ts';

/**
 * The life of one worker of `jobbench serve --workers N`: its own app and adapter on the shared port,
 * until SIGTERM from the primary (then a graceful close: in-flight requests finish, the connection
 * closes). SIGINT is ignored: Ctrl-C reaches the whole process group, and the primary alone decides
 * when workers stop (a second signal would otherwise cut their in-flight requests). When the primary
 * dies, node:cluster exits the worker as its IPC channel closes, so no worker outlives it.
 */
export async function serveClusterWorker(config: Readonly<Config>, workers: number): Promise<number> {
  process.on('SIGINT', () => {});
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  process.on('SIGTERM', () => wake());
  // The primary prints the one "listening" line for the cluster.
  const server = await startServer(config, { log: () => {}, cluster: workerCluster(workers) });
  await stopped;
  await server.close();
  // The IPC channel would keep this process alive: leave now that every request has been answered.
  process.exit(0);
}
