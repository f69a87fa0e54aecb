import type { Cell } from '../results/types.ts';

/**
 * THE identity of a cell: which fields of a persisted Cell tell one measurement from another. The
 * schedule groups rounds by it, `compare` pairs base and head cells by it, reports group tables and
 * write titles by it. A new dimension is one row here (and its optional field on Cell).
 *
 * `role` says where a dimension shows: `table` dimensions are shared by every row of one report table
 * and named in its title; `row` dimensions name a row within a table; `side` (gate runs) is part of
 * the cell but not of what `compare` pairs: base and head of the same measurement must meet.
 */
interface Dimension {
  role: 'table' | 'row' | 'side';
  /** The dimension's value in a cell, normalised (absent and default read alike), or null when it does not apply. */
  of(cell: IdentityFields): string | number | null;
  /** Its words in a title ("pool max 10"), or null to leave it out. */
  title(cell: IdentityFields): string | null;
}

/** The Cell fields the identity reads (a schedule builds them before any round exists). */
const IDENTITY_FIELDS = [
  'adapter',
  'scenario',
  'tool',
  'connections',
  'poolMax',
  'label',
  'metrics',
  'via',
  'targetRate',
  'thinkTimeMs',
  'side',
  'workers',
  'fault',
  'dbLatencyMs',
  'threads',
] as const satisfies readonly (keyof Cell)[];
export type IdentityFields = Pick<Cell, (typeof IDENTITY_FIELDS)[number]>;

const isOpenModel = (c: IdentityFields) => c.targetRate !== undefined;

export const CELL_DIMENSIONS = {
  scenario: { role: 'table', of: (c) => c.scenario, title: (c) => c.scenario },
  tool: { role: 'table', of: (c) => c.tool, title: (c) => c.tool },
  // At an arrival rate k6 sizes its own VU pool from the rate: the connections value is not part of the shape.
  load: {
    role: 'table',
    of: (c) => (isOpenModel(c) ? `rate ${c.targetRate}` : `connections ${c.connections}`),
    title: (c) =>
      isOpenModel(c) ? `target ${c.targetRate} req/s` : `${c.connections} ${c.tool === 'k6' ? 'VUs' : 'connections'}`,
  },
  thinkTimeMs: {
    role: 'table',
    of: (c) => c.thinkTimeMs ?? null,
    title: (c) => (c.thinkTimeMs === undefined ? null : `think time ${c.thinkTimeMs} ms`),
  },
  poolMax: { role: 'table', of: (c) => c.poolMax, title: (c) => `pool max ${c.poolMax}` },
  via: {
    role: 'table',
    of: (c) => c.via ?? 'direct', // files before PgBouncer runs have no via: direct
    title: (c) => (c.via === undefined ? null : `via ${c.via}`),
  },
  metrics: {
    role: 'table',
    of: (c) => c.metrics ?? null,
    title: (c) => (c.metrics === undefined ? null : `metrics ${c.metrics}`),
  },
  fault: {
    role: 'table',
    of: (c) => c.fault ?? null,
    title: (c) => (c.fault === undefined ? null : `fault ${c.fault}`),
  },
  // --db-latency: one table per setting; a map reads rows of latency against columns of connections.
  dbLatencyMs: {
    role: 'table',
    of: (c) => c.dbLatencyMs ?? null,
    title: (c) => (c.dbLatencyMs === undefined ? null : `DB latency +${c.dbLatencyMs} ms`),
  },
  // --threads: the sync target's thread pool; only the targets that have one record it.
  threads: {
    role: 'row',
    of: (c) => c.threads ?? null,
    title: () => null,
  },
  adapter: { role: 'row', of: (c) => c.adapter, title: () => null },
  label: { role: 'row', of: (c) => c.label ?? null, title: () => null },
  // Processes of the target (pg-sync's default: one per pool connection); its label already says so.
  workers: { role: 'row', of: (c) => c.workers ?? null, title: () => null },
  side: { role: 'side', of: (c) => c.side ?? null, title: () => null },
} as const satisfies Record<string, Dimension>;

export type DimensionName = keyof typeof CELL_DIMENSIONS;
const DIMENSION_NAMES = Object.keys(CELL_DIMENSIONS) as DimensionName[];

function keyOver(cell: IdentityFields, dimensions: readonly DimensionName[]): string {
  return JSON.stringify(dimensions.map((d) => CELL_DIMENSIONS[d].of(cell)));
}

const withRoles = (...roles: Dimension['role'][]) =>
  DIMENSION_NAMES.filter((d) => roles.includes(CELL_DIMENSIONS[d].role));

/** Every dimension: two cells of one run with the same key are the same cell (the schedule's grouping of rounds). */
export function cellKey(cell: IdentityFields): string {
  return keyOver(cell, DIMENSION_NAMES);
}

/** Every dimension but the side: the same measurement on base and head (what `compare` pairs). */
export function pairKey(cell: IdentityFields): string {
  return cellKeyWithout(cell, ['side']);
}

/** Every dimension but these: cells that differ only in them meet (e.g. metrics on vs off of one target). */
export function cellKeyWithout(cell: IdentityFields, left: readonly DimensionName[]): string {
  return keyOver(
    cell,
    DIMENSION_NAMES.filter((d) => !left.includes(d)),
  );
}

/** The report table a cell belongs in: cells that differ only by target (adapter, label, workers, side) share one. */
export function groupKey(cell: IdentityFields): string {
  return keyOver(cell, withRoles('table'));
}

/** "get-job · autocannon · 10 connections · pool max 10 · via pgbouncer", as report table titles read. */
export function groupTitle(cell: IdentityFields): string {
  return withRoles('table')
    .map((d) => CELL_DIMENSIONS[d].title(cell))
    .filter((t): t is string => t !== null)
    .join(' · ');
}

/** "pg-pool" or "pg-pool (label)". */
export function cellName(cell: IdentityFields): string {
  return cell.label === undefined ? cell.adapter : `${cell.adapter} (${cell.label})`;
}

/** "pg-pool · get-job · autocannon · 10 connections · pool max 10": names a cell on its own. */
export function cellTitle(cell: IdentityFields): string {
  return `${cellName(cell)} · ${groupTitle(cell)}`;
}

/** The identity fields of a cell, and nothing else (what `compare` keeps of a cell only one side has). */
export function identityOf(cell: IdentityFields): IdentityFields {
  const id: Partial<Record<keyof IdentityFields, unknown>> = {};
  for (const key of IDENTITY_FIELDS) if (cell[key] !== undefined) id[key] = cell[key];
  return id as IdentityFields;
}

/** A persisted cell before its rounds: identity plus what it records about its target. */
export type CellFields = Omit<
  Cell,
  'rounds' | 'summary' | 'achievedRate' | 'droppedIterations' | 'invalidForLatency' | 'sloPassed'
>;
