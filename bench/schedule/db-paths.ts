import { checkConnectionRoom, readConnectionRoom } from '../db/connection-budget.ts';
import { connectWithLatency, latenciesOf, prepareDbLatency } from '../faults/db-latency.ts';
import type { Progress } from '../host/progress.ts';
import { plannedDbConnections } from '../targets/factors.ts';
import type { TargetConnection, TargetSpec } from '../targets/spec.ts';

/** How the targets of one benchmark reach PostgreSQL, and whether their servers may stay up between visits. */
export interface DbPaths {
  connect?: (spec: TargetSpec) => TargetConnection;
  /** Servers stay up across the windows they serve (BenchmarkPlan.keepServers). */
  keepServers: boolean;
  /** Why servers are (not) kept, for the report's design. */
  serversWhy: string;
  toxiproxyVersion?: string;
  stop(): Promise<void>;
}

/**
 * The database side of a plan's targets, checked before anything is measured: the connections their
 * pools may hold against the server's free ones (refused with the numbers when even one target at a
 * time does not fit; servers are kept up only when all of them fit at once), then the latency proxies
 * (--db-latency) in front of the database. `wantKept`: the kind would keep servers if it can.
 */
export async function prepareDbPaths(
  targets: readonly TargetSpec[],
  ctx: { databaseUrl: string; progress: Progress },
  options: { wantKept: boolean; fallback?: (spec: TargetSpec) => TargetConnection; env?: NodeJS.ProcessEnv },
): Promise<DbPaths> {
  const room = await readConnectionRoom(ctx.databaseUrl);
  const oneAtATime = plannedDbConnections(targets, false);
  checkConnectionRoom(room, oneAtATime, 'the largest target of this plan');
  let keepServers = false;
  let serversWhy = 'each server is started for its visit and stopped after it (the kind does not keep them)';
  if (options.wantKept) {
    const all = plannedDbConnections(targets, true);
    try {
      checkConnectionRoom(room, all, 'keeping every server up');
      keepServers = true;
      serversWhy = `servers stay up across rounds (their pools, ${all} connections in all, fit in max_connections ${room.maxConnections})`;
    } catch {
      serversWhy = `each server is started for its visit: kept up together their pools would hold ${all} connections, more than max_connections ${room.maxConnections} leaves free`;
    }
  }
  const latencies = latenciesOf(targets);
  if (latencies.length === 0)
    return {
      ...(options.fallback ? { connect: options.fallback } : {}),
      keepServers,
      serversWhy,
      stop: async () => {},
    };
  ctx.progress.log(`database latency: Toxiproxy, +${latencies.join(', +')} ms per round trip (downstream toxic)`);
  const setup = await prepareDbLatency(latencies, ctx.databaseUrl, options.env ?? {});
  return {
    connect: connectWithLatency(setup, ctx.databaseUrl, options.fallback),
    keepServers,
    serversWhy,
    toxiproxyVersion: setup.toxiproxyVersion,
    stop: () => setup.stop(),
  };
}
