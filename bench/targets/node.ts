import { freePort } from '../host/free-port.ts';
import { spawnServer } from '../host/spawn-server.ts';
import type { NodeTargetSpec, RevisionTargetSpec, Target } from './spec.ts';
import { serveArgs } from './serve-args.ts';
import { targetWorkers } from './workers.ts';

const READY_TIMEOUT_MS = 60_000; // a cold start migrates and may wait for the database
const STOP_TIMEOUT_MS = 10_000; // graceful shutdown budget before SIGKILL
const WORKER_START_MS = 10_000; // extra start-up budget per worker process

/**
 * Starts `jobbench serve` (this checkout's, or a revision's) as a child process against `databaseUrl`
 * (the API under test runs in its own process, never in the harness's) and resolves once GET /ready
 * answers 200.
 */
export async function startNodeTarget(
  spec: NodeTargetSpec | RevisionTargetSpec,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Target> {
  const port = await freePort();
  const revision = spec.kind === 'revision' ? spec : undefined;
  const workers = targetWorkers(spec);
  const args = serveArgs({
    ...(revision ? { root: revision.root } : {}),
    adapter: spec.adapter,
    port,
    poolMax: revision?.serverPoolMax ?? spec.poolMax,
    metrics: spec.metrics,
    workers,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await spawnServer({
    name: `jobbench serve --adapter ${spec.adapter}${spec.side ? ` (${spec.side})` : ''}`,
    command: process.execPath,
    args,
    // JOBBENCH_SHED, not --shed: "off" must also override a JOBBENCH_SHED=on the harness inherited
    env: {
      ...process.env,
      ...extraEnv,
      DATABASE_URL: databaseUrl,
      ...(spec.shed === undefined ? {} : { JOBBENCH_SHED: spec.shed }),
    },
    readyUrl: `${baseUrl}/ready`,
    // Each worker of `serve --workers N` starts its own Node, tsx and adapter: on a loaded 2-core machine
    // ten of them take tens of seconds.
    readyBudgetMs: READY_TIMEOUT_MS + (workers > 1 ? workers * WORKER_START_MS : 0),
    stopTimeoutMs: STOP_TIMEOUT_MS,
    stopTarget: 'process', // the primary stops its workers
  });
  return { baseUrl, pid: server.pid, exited: server.exited, stop: server.stop };
}
