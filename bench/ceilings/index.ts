/**
 * The machine's ceilings, measured once per run (a few seconds each; DESIGN.md "How we measure" 9).
 * Call it while no server under test is running: the ceilings must have the machine to themselves.
 */
import { affinityOf } from '../host/affinity.ts';
import type { AppliedPlacement } from '../host/placement.ts';
import type { LoadRunner } from '../runners/types.ts';
import { createWrkRunner, findWrk } from '../runners/wrk/runner.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { measureDbCeiling } from './db-ceiling.ts';
import { measureFingerprint } from './fingerprint.ts';
import { measureHttpCeilings } from './http-ceiling.ts';
import type { Ceilings, DbCeiling, DbCeilingMethod, HttpCeiling } from '../results/ceilings.ts';

export type { Ceilings, DbCeiling, HttpCeiling, MachineFingerprint } from '../results/ceilings.ts';
export { fractionOfCeiling, type CeilingFractions } from './fraction.ts';

export interface CeilingOptions {
  runner: LoadRunner; // the run's load tool
  runners?: readonly LoadRunner[]; // several tools (--tool autocannon,wrk): one HTTP ceiling each
  connections: number; // the run's (largest) connections: HTTP connections and DB clients
  /**
   * The run's database cells as (scenario, database clients), distinct and database scenarios only
   * (fraction.ts dbCeilingCells): one DB ceiling each, and the file says `dbClientsOf: 'pool'`.
   * Default: get-job at `connections`.
   */
  dbCells?: ReadonlyArray<{ scenario: ScenarioName; connections: number }>;
  databaseUrl: string; // the run's database, seeded with jobCount jobs
  jobCount: number;
  durationS?: number; // per ceiling; default 3 s
  skip?: ReadonlyArray<'http' | 'db'>;
  dbMethod?: DbCeilingMethod; // default: pgbench when installed, else the driver loop
  /** The HTTP ceiling's cheapest generator when the run's tools leave the bare server below its core: wrk when installed; null: none. */
  cheapest?: LoadRunner | null;
  maxWorkers?: number; // most autocannon processes for the HTTP ceiling (default: one per core)
  signal?: AbortSignal;
  placement?: AppliedPlacement; // --cpus, applied: bare server on the server set, load tools and pgbench on the generator's
}

const DEFAULT_DURATION_S = 3;

function why(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** HTTP ceiling, DB ceiling, fingerprint. A ceiling that fails is null with the reason in `notes`. */
export async function measureCeilings(opts: CeilingOptions): Promise<Ceilings> {
  const durationS = opts.durationS ?? DEFAULT_DURATION_S;
  const notes: string[] = [];
  const measuredAt = new Date().toISOString();
  const fingerprint = await measureFingerprint();
  if (fingerprint.syscallProbe === 'fstat') notes.push('dd not found: syscallNs is fs.fstatSync through Node');

  let httpByTool: HttpCeiling[] = [];
  if (opts.skip?.includes('http')) notes.push('HTTP ceiling skipped');
  else
    try {
      const wrk = findWrk();
      const cheapest =
        opts.cheapest === undefined ? (wrk ? createWrkRunner({ bin: wrk, allCores: true }) : undefined) : opts.cheapest;
      const { cheapest: _asked, ...rest } = opts;
      httpByTool = await measureHttpCeilings({
        ...rest,
        runners: opts.runners ?? [opts.runner],
        durationS,
        ...(cheapest ? { cheapest } : {}),
      });
      for (const h of httpByTool)
        if (h.floorReason) notes.push(`HTTP ceiling (${h.tool}) is a floor: ${h.floorReason}`);
    } catch (err) {
      notes.push(`HTTP ceiling failed: ${why(err)}`);
    }
  opts.signal?.throwIfAborted();

  const dbByScenario: DbCeiling[] = [];
  if (opts.skip?.includes('db')) notes.push('DB ceiling skipped');
  else
    for (const cell of opts.dbCells ?? [{ scenario: 'get-job' as const, connections: opts.connections }]) {
      opts.signal?.throwIfAborted();
      try {
        const db = await measureDbCeiling({
          databaseUrl: opts.databaseUrl,
          clients: cell.connections,
          scenario: cell.scenario,
          durationS,
          jobCount: opts.jobCount,
          ...(opts.dbMethod === undefined ? {} : { method: opts.dbMethod }),
          ...(opts.signal === undefined ? {} : { signal: opts.signal }),
          ...(opts.placement ? { readAffinity: (clientPid: number) => affinityRead(clientPid, opts.placement!) } : {}),
        });
        dbByScenario.push(db);
        if (db.boundBy === 'client')
          notes.push(
            `DB ceiling (${cell.scenario}) is a floor: the driver loop used ${Math.round(db.clientCpuPercent ?? 0)}% of a core`,
          );
        if (db.requestedClients !== undefined)
          notes.push(
            `DB ceiling (${cell.scenario}) at ${db.clients} clients, not ${db.requestedClients}: the database accepts no more (max_connections)`,
          );
      } catch (err) {
        notes.push(`DB ceiling (${cell.scenario}, ${cell.connections} clients) failed: ${why(err)}`);
      }
    }
  // `db` for older readers: get-job's at the most clients, else the first measured.
  const getJob = dbByScenario.filter((d) => d.scenario === 'get-job').sort((a, b) => b.clients - a.clients)[0];
  const db = getJob ?? dbByScenario[0] ?? null;
  // `http`: the one cells are read against when no tool is named (older readers): server-bound first.
  const http = httpByTool.find((h) => h.boundBy === 'server') ?? httpByTool[0] ?? null;
  return {
    measuredAt,
    http,
    ...(httpByTool.length > 1 ? { httpByTool } : {}),
    db,
    ...(opts.dbCells ? { dbByScenario, dbClientsOf: 'pool' as const } : {}),
    fingerprint,
    notes,
  };
}

/** pgbench's (or the harness's) CPU set and the postmaster's, as the windows read theirs back. */
function affinityRead(clientPid: number, placement: AppliedPlacement): NonNullable<DbCeiling['affinity']> {
  let db: string | null = null;
  try {
    if (placement.postmasterPid !== undefined) db = affinityOf(placement.postmasterPid);
  } catch {
    db = null; // the postmaster is not visible here
  }
  return { client: affinityOf(clientPid), db };
}
