import { HarnessError } from '../../shared/harness-errors.ts';
import type { TargetConnection, TargetSpec } from '../targets/spec.ts';
import { toxics } from './toxiproxy.ts';
import { startToxiproxyServer, type ToxiproxyServer } from './toxiproxy-server.ts';

/** The proxy of one latency setting, e.g. "jobbench-pg-latency-10ms". */
export const latencyProxyName = (latencyMs: number) => `jobbench-pg-latency-${latencyMs}ms`;

/**
 * `--db-latency L,…`: every target reaches PostgreSQL through Toxiproxy, one proxy per setting, so that
 * each database round trip takes L ms more (the ADR's ~50 ms p50 implies a remote or slow database;
 * loopback is ~0.1 ms). The toxic is downstream only: Toxiproxy delays every chunk in the direction it
 * is set, so one direction adds one L per round trip (both would add 2 L). L = 0 goes through a proxy
 * too, so that every cell pays the same extra hop.
 */
export interface DbLatencySetup {
  /** How a target with this latency setting reaches the database (samplers keep the direct URL). */
  connectionFor(latencyMs: number): TargetConnection;
  /** Another database of the same server through that setting's proxy (the gate: a database per side). */
  route(latencyMs: number, databaseUrl: string): string;
  toxiproxyVersion: string;
  stop(): Promise<void>;
}

/** The latency settings a plan's targets use (each target spec carries its own: an interleaved dimension). */
export function latenciesOf(targets: readonly TargetSpec[]): number[] {
  return [...new Set(targets.flatMap((t) => (t.dbLatencyMs === undefined ? [] : [t.dbLatencyMs])))];
}

/** Starts Toxiproxy with one proxy per latency to `databaseUrl`'s host; stop() takes it down. */
export async function prepareDbLatency(
  latenciesMs: readonly number[],
  databaseUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<DbLatencySetup> {
  const server: ToxiproxyServer = await startToxiproxyServer({ env });
  try {
    const upstream = new URL(databaseUrl);
    const ports = new Map<number, string>();
    for (const latencyMs of latenciesMs) {
      const name = latencyProxyName(latencyMs);
      const proxy = await server.client.createProxy({
        name,
        upstream: `${upstream.hostname}:${upstream.port || 5432}`,
      });
      if (latencyMs > 0)
        await server.client.addToxic(name, toxics.latency({ latencyMs, stream: 'downstream', name: 'db-latency' }));
      ports.set(latencyMs, proxy.listen.split(':').pop()!);
    }
    const route = (latencyMs: number, url: string) => {
      const port = ports.get(latencyMs);
      if (port === undefined)
        throw new HarnessError('JOBBENCH_CLI_ERR_USAGE', `no database proxy for a latency of ${latencyMs} ms`);
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = port;
      return proxied.toString();
    };
    return {
      connectionFor: (latencyMs) => ({ databaseUrl: route(latencyMs, databaseUrl) }),
      route,
      toxiproxyVersion: server.version,
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * A plan's `connect` with the latency proxies in front: targets with a latency setting go through its
 * proxy; the others keep `fallback`, else the plan's database URL.
 */
export function connectWithLatency(
  setup: DbLatencySetup | undefined,
  databaseUrl: string,
  fallback?: (spec: TargetSpec) => TargetConnection,
): ((spec: TargetSpec) => TargetConnection) | undefined {
  if (!setup) return fallback;
  return (spec) => {
    if (spec.dbLatencyMs !== undefined) return setup.connectionFor(spec.dbLatencyMs);
    return fallback?.(spec) ?? { databaseUrl };
  };
}
