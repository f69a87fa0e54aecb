import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { withClient } from './client.ts';

/**
 * Connections the harness itself holds beside the targets during a window: the sampler, the run lock,
 * a probe, a restore, the metrics pool of a Node server, a capacity search's extra windows. A margin,
 * not a count.
 */
export const HARNESS_CONNECTION_MARGIN = 10;

/** What a server allows and what is already taken, as PostgreSQL reports it. */
export interface ConnectionRoom {
  maxConnections: number; // max_connections
  reserved: number; // superuser_reserved_connections (not ours to use: jobbench connects as any role)
  inUse: number; // backends of client connections right now (the run lock's included)
}

/** Reads max_connections, the reserved slots and the client backends now open. */
export function readConnectionRoom(databaseUrl: string): Promise<ConnectionRoom> {
  return withClient(databaseUrl, { applicationName: HARNESS_CONNECTIONS.probe, connectTimeoutMs: 5_000 }, async (c) => {
    const { rows } = await c.query<{ max: string; reserved: string; used: string }>(
      `SELECT current_setting('max_connections') AS max,
              current_setting('superuser_reserved_connections') AS reserved,
              (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`,
    );
    const row = rows[0]!;
    return { maxConnections: Number(row.max), reserved: Number(row.reserved), inUse: Number(row.used) - 1 }; // minus this probe
  });
}

/**
 * Refuses a plan whose targets would hold more connections than the server has free (exit 2, with the
 * numbers): pools × workers add up, and a pool that cannot open its connections fails windows in ways
 * that look like a slow driver. `needed` excludes the harness's own (added here as a margin).
 */
export function checkConnectionRoom(room: ConnectionRoom, needed: number, what: string): void {
  const free = room.maxConnections - room.reserved - room.inUse;
  const wanted = needed + HARNESS_CONNECTION_MARGIN;
  if (wanted <= free) return;
  throw new HarnessError(
    'JOBBENCH_CLI_ERR_USAGE',
    `${what} needs ${needed} PostgreSQL connections (+${HARNESS_CONNECTION_MARGIN} for the harness) but this server has ${free} free (max_connections ${room.maxConnections} − ${room.reserved} reserved − ${room.inUse} in use): lower --pool-max, --workers or the number of targets, or raise max_connections`,
  );
}
