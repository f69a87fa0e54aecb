/** A cell as a fraction of this machine's ceilings: the number that travels between machines. Pure. */
import { SCENARIOS, type ScenarioName } from '../../scenarios/catalog.ts';
import type { Cell } from '../results/types.ts';
import type { Ceilings, DbCeiling, HttpCeiling } from '../results/ceilings.ts';
import { hasDbCeiling } from './scenario-statements.ts';

export interface CeilingFractions {
  http: number | null; // the cell's median req/s ÷ the bare node:http server's req/s
  /**
   * The HTTP ceiling was a floor (the generator, not the bare server, was the bottleneck): the true
   * ceiling is at least the measured one, so the true fraction is at most `http`, and it is shown "≤".
   */
  httpAtMost?: boolean;
  /** ÷ PostgreSQL alone running the cell's own scenario's statements at its database concurrency. */
  db: number | null;
  dbClients?: number; // the DB ceiling's clients, when `db` is a number
  /** The DB ceiling's driver loop used its core (`boundBy: 'client'`): a floor, and `db` an upper bound ("≤"). */
  dbAtMost?: boolean;
  /**
   * The cell served more than the DB ceiling measured: that ceiling (one short measurement) is a floor
   * here, and `db` (> 1) says by how much it fell short, not how close the cell is to PostgreSQL's limit.
   */
  dbAbove?: boolean;
  /** Why `db` is null for a database scenario, in words ("n/a: behind a latency proxy", "not measured …"). */
  dbNote?: string;
  sameLoad: boolean; // the ceilings were measured at the cell's connections
}

const GENERATOR_BOUND_PERCENT = 90; // of one core (DESIGN rule 6)

function ratio(value: number, ceiling: number | undefined): number | null {
  return ceiling !== undefined && ceiling > 0 && Number.isFinite(value) ? value / ceiling : null;
}

/** Whether an HTTP ceiling is a floor: its own verdict, or (older files) a generator at ≥ 90% of a core. */
export function httpCeilingIsFloor(h: HttpCeiling): boolean {
  return h.boundBy === undefined ? h.generatorCpuPercent >= GENERATOR_BOUND_PERCENT : h.boundBy === 'generator';
}

/**
 * The HTTP ceiling a cell is read against: the highest one the bare server itself bounded (whatever tool
 * measured it: it is the server's capacity), else the cell's own tool's, else the first. Files from
 * before `boundBy` keep their rule: each cell against its own tool's ceiling.
 */
export function httpCeilingFor(cell: Pick<Cell, 'tool'>, ceilings: Pick<Ceilings, 'http' | 'httpByTool'>) {
  const all = ceilings.httpByTool ?? (ceilings.http ? [ceilings.http] : []);
  const judged = all.some((h) => h.boundBy !== undefined);
  const bounded = judged
    ? all.filter((h) => !httpCeilingIsFloor(h)).sort((a, b) => b.requestsPerSec - a.requestsPerSec)[0]
    : undefined;
  return bounded ?? all.find((h) => h.tool === cell.tool) ?? ceilings.http;
}

/**
 * The most statements a cell's API can have in flight at once: its DB connections (its pool, or one per
 * pg-sync process; workers × pool) bound what its HTTP connections send on. PostgreSQL alone is measured at this concurrency, not at the HTTP connections:
 * on 2 cores, 32 clients run search ~20% slower than 10 (contention), and an API with a pool of 10 beat
 * the 32-client "ceiling" by up to 62%.
 */
export function dbClientsOf(cell: { connections: number; poolMax?: number; dbConnections?: number }): number {
  return Math.min(cell.connections, cell.dbConnections ?? cell.poolMax ?? cell.connections);
}

/**
 * The DB ceilings a run measures: each database scenario once per database concurrency its cells reach
 * (every load × every target's DB connections, bench/targets/workers.ts targetDbConnections), in the
 * loads' order.
 */
export function dbCeilingCells(
  loads: ReadonlyArray<{ scenario: ScenarioName; connections: number }>,
  targetDbConnections: readonly number[],
): Array<{ scenario: ScenarioName; connections: number }> {
  const seen = new Map<string, { scenario: ScenarioName; connections: number }>();
  for (const l of loads)
    if (hasDbCeiling(l.scenario))
      for (const dbConnections of targetDbConnections.length ? targetDbConnections : [l.connections]) {
        const connections = dbClientsOf({ connections: l.connections, dbConnections });
        seen.set(`${l.scenario}\u0000${connections}`, { scenario: l.scenario, connections });
      }
  return [...seen.values()];
}

/**
 * The DB ceiling of the cell's scenario at its database concurrency (older files: at its connections).
 * Older files (no `dbByScenario`) hold get-job's statement only: it is read against get-job cells and no
 * others (a search is not a primary-key lookup).
 */
export function dbCeilingFor(
  cell: Pick<Cell, 'scenario' | 'connections'> & { poolMax?: number; dbConnections?: number },
  ceilings: Pick<Ceilings, 'db' | 'dbByScenario' | 'dbClientsOf'>,
): DbCeiling | undefined {
  if (ceilings.dbByScenario) {
    const clients = ceilings.dbClientsOf === 'pool' ? dbClientsOf(cell) : cell.connections;
    return ceilings.dbByScenario.find(
      (d) => d.scenario === cell.scenario && (d.requestedClients ?? d.clients) === clients,
    );
  }
  const db = ceilings.db;
  return db && (db.scenario ?? 'get-job') === cell.scenario ? db : undefined;
}

export function fractionOfCeiling(
  cell: Pick<Cell, 'scenario' | 'tool' | 'connections' | 'summary'> & {
    dbLatencyMs?: number;
    poolMax?: number;
    dbConnections?: number;
  },
  ceilings: Pick<Ceilings, 'http' | 'db' | 'httpByTool' | 'dbByScenario' | 'dbClientsOf'>,
): CeilingFractions {
  const rps = cell.summary.requestsPerSec.median;
  const scenario = Object.prototype.hasOwnProperty.call(SCENARIOS, cell.scenario)
    ? SCENARIOS[cell.scenario as keyof typeof SCENARIOS]
    : undefined;
  const http = httpCeilingFor(cell, ceilings);
  const out: CeilingFractions = { http: ratio(rps, http?.requestsPerSec), db: null, sameLoad: false };
  if (out.http !== null && http && httpCeilingIsFloor(http)) out.httpAtMost = true;
  if (scenario?.usesDatabase) {
    const db = dbCeilingFor(cell, ceilings);
    if (cell.dbLatencyMs !== undefined && cell.dbLatencyMs > 0) out.dbNote = 'n/a: behind a latency proxy';
    else if (!db)
      out.dbNote = `not measured for ${cell.scenario} at ${ceilings.dbClientsOf === 'pool' ? `${dbClientsOf(cell)} database clients` : `${cell.connections} connections`}`;
    else {
      out.db = ratio(rps, db.transactionsPerSec);
      out.dbClients = db.clients;
      if (out.db !== null && db.boundBy === 'client') out.dbAtMost = true;
      if (out.db !== null && out.db > 1) out.dbAbove = true;
    }
  }
  out.sameLoad =
    http !== null &&
    http !== undefined &&
    http.connections === cell.connections &&
    (!scenario?.usesDatabase || out.db !== null || out.dbNote?.startsWith('n/a') === true);
  return out;
}
