import { HarnessError } from '../../shared/harness-errors.ts';
import type { TargetConnection } from '../targets/spec.ts';
import type { DbKind, DbPower } from '../db/types.ts';
import type { FaultTools } from './steps.ts';
import type { FaultSchedule } from './schedule.ts';
import { startToxiproxyServer, type ToxiproxyServer } from './toxiproxy-server.ts';

const PROXY_NAME = 'jobbench-pg';

export interface FaultSetup {
  /** Set when a fault goes through Toxiproxy: every target of the run reaches PostgreSQL through it. */
  connect?: () => TargetConnection;
  tools: Omit<FaultTools, 'killServer'>;
  toxiproxyVersion?: string;
  stop(): Promise<void>;
}

/**
 * The database-level faults of a plan need a server jobbench may stop and start: one it started
 * (embedded), or an external one on this machine when the user said so (--allow-db-restart; whether
 * jobbench can control it is checked once connected: bench/db/external-power.ts). Refused otherwise.
 */
export function checkDatabaseFaults(
  schedules: readonly (FaultSchedule | undefined)[],
  kind: DbKind,
  restartable: boolean,
): void {
  const restart = schedules.flatMap((s) => s?.faults ?? []).find((f) => f.kind === 'db-restart');
  if (!restart || restartable) return;
  throw new HarnessError(
    'JOBBENCH_CLI_ERR_FAULT',
    kind === 'external'
      ? `--fault "${restart.spec}": this PostgreSQL (DATABASE_URL) was not started by jobbench and others may be using it; add --allow-db-restart to let jobbench stop and start it (on this machine only, with pg_ctlcluster or pg_ctl), or use --db embedded, or db-down (through Toxiproxy)`
      : `--fault "${restart.spec}": jobbench restarts only a PostgreSQL it started itself (--db embedded) or, with --allow-db-restart, an external one on this machine, not this ${kind} one; use --db embedded, or db-down (through Toxiproxy) to cut the API off the database instead`,
  );
}

/**
 * What the faulted loads of a run need, started once for the run: Toxiproxy with one proxy to the
 * database (the targets' DATABASE_URL points at it; the samplers keep the direct URL) when a network
 * fault is scheduled, and the database's power switch for restarts. Stopped by stop() (and on exit).
 */
export async function prepareFaults(
  schedules: readonly (FaultSchedule | undefined)[],
  databaseUrl: string,
  database: { kind: DbKind; power?: DbPower },
  env: NodeJS.ProcessEnv,
): Promise<FaultSetup> {
  checkDatabaseFaults(schedules, database.kind, database.power !== undefined);
  const tools: FaultSetup['tools'] = database.power ? { database: database.power } : {};
  if (!schedules.some((s) => s?.needsProxy)) return { tools, stop: async () => {} };
  const server: ToxiproxyServer = await startToxiproxyServer({ env });
  try {
    const upstream = new URL(databaseUrl);
    const proxy = await server.client.createProxy({
      name: PROXY_NAME,
      upstream: `${upstream.hostname}:${upstream.port || 5432}`,
    });
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = proxy.listen.split(':').pop()!;
    return {
      connect: () => ({ databaseUrl: proxied.toString() }),
      tools: { ...tools, proxy: { client: server.client, name: PROXY_NAME } },
      toxiproxyVersion: server.version,
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
