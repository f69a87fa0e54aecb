import { fileURLToPath } from 'node:url';
import { freePort } from '../host/free-port.ts';
import { spawnServer } from '../host/spawn-server.ts';
import type { Target } from './spec.ts';
import { FASTAPI_TARGETS, type FastapiTargetName } from './fastapi-targets.ts';
import { fastapiSettingsArgs, type FastapiSettings } from './fastapi-settings.ts';
import { readTargetFacts } from './target-facts.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)); // `-m targets.fastapi` resolves from here
const READY_TIMEOUT_MS = 60_000; // as bench/targets/node.ts: a cold start may wait for the database
const STOP_TIMEOUT_MS = 10_000; // graceful shutdown budget before SIGKILL of the whole group

/** How one FastAPI server is launched (targets/spec.ts FastapiTargetSpec is the run's view of it). */
export interface FastapiLaunch extends FastapiSettings {
  name: FastapiTargetName;
  /** Interpreter that imports the target's modules (findPython in bench/targets/python.ts). */
  python: string;
  /** Connections per uvicorn worker: pool_size, no overflow. */
  poolMax: number;
  /** uvicorn worker processes (default 1); each has its own pool, so workers × poolMax connections. */
  workers?: number;
  metrics?: 'on' | 'off';
}

/** The command line: no secret in it (DATABASE_URL goes in the environment, never in /proc/<pid>/cmdline). */
export function fastapiArgs(spec: FastapiLaunch, port: number): string[] {
  return [
    '-m',
    'targets.fastapi',
    '--driver',
    FASTAPI_TARGETS[spec.name].driver,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--pool-max',
    String(spec.poolMax),
    '--workers',
    String(spec.workers ?? 1),
    '--metrics',
    spec.metrics ?? 'on',
    ...fastapiSettingsArgs(spec),
  ];
}

/**
 * Starts a FastAPI target under uvicorn as a child process in its own process group, against
 * `databaseUrl`, and resolves once GET /ready answers 200, with the facts it reports about itself.
 * stop() sends SIGTERM to the whole group (uvicorn's supervisor and workers), then SIGKILL to whatever
 * is left after STOP_TIMEOUT_MS.
 */
export async function startFastapiTarget(
  spec: FastapiLaunch,
  databaseUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await spawnServer({
    name: `uvicorn ${spec.name} (${spec.python} -m targets.fastapi)`,
    command: spec.python,
    args: fastapiArgs(spec, port),
    cwd: ROOT,
    env: { ...env, DATABASE_URL: databaseUrl, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    readyUrl: `${baseUrl}/ready`,
    readyBudgetMs: READY_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    stopTarget: 'group',
  });
  return { baseUrl, pid: server.pid, exited: server.exited, stop: server.stop, facts: await readTargetFacts(baseUrl) };
}
