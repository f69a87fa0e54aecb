import { freePort } from '../../bench/host/free-port.ts';
import { spawnServer } from '../../bench/host/spawn-server.ts';

export interface NodeServer {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `node <args(port)>` on a free port, started as the harness starts its servers (bench/host/spawn-server.ts:
 * its own process group, stopped with the script even by kill -9), resolved once `readyPath` answers 200.
 */
export async function startNodeServer(
  name: string,
  args: (port: number) => string[],
  o: { cwd?: string; env?: NodeJS.ProcessEnv; readyPath?: string } = {},
): Promise<NodeServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await spawnServer({
    name,
    command: process.execPath,
    args: args(port),
    ...(o.cwd ? { cwd: o.cwd } : {}),
    env: { ...process.env, ...o.env, PORT: String(port) },
    readyUrl: `${baseUrl}${o.readyPath ?? '/health'}`,
    readyBudgetMs: 60_000,
    stopTimeoutMs: 10_000,
    stopTarget: 'process',
  });
  return { name, baseUrl, pid: server.pid, stop: server.stop };
}
