import type { Cell, MetricsMode, Results, Tool, Via } from '../results/types.ts';

/**
 * What makes two cells "the same measurement" on both sides: adapter, scenario, load shape (target
 * rate for k6's open model, else connections), tool, route (`via`), metrics mode, pool size, label.
 * The side (gate runs) and the numbers are not part of it.
 */
export interface CellIdentity {
  adapter: string;
  scenario: string;
  tool: Tool;
  load: { connections: number } | { targetRate: number };
  via: Via; // absent in a file means direct
  metrics: MetricsMode | null;
  poolMax: number;
  label: string | null;
}

export function identityOf(cell: Cell): CellIdentity {
  return {
    adapter: cell.adapter,
    scenario: cell.scenario,
    tool: cell.tool,
    // At an arrival rate k6 sizes its own VU pool: the connections value is not part of the shape.
    load: cell.targetRate !== undefined ? { targetRate: cell.targetRate } : { connections: cell.connections },
    via: cell.via ?? 'direct',
    metrics: cell.metrics ?? null,
    poolMax: cell.poolMax,
    label: cell.label ?? null,
  };
}

export function identityKey(id: CellIdentity): string {
  return JSON.stringify([id.adapter, id.scenario, id.tool, id.load, id.via, id.metrics, id.poolMax, id.label]);
}

/** The table a cell belongs in: everything but the adapter and label (as bench/report groups them). */
export function groupKeyOf(id: CellIdentity): string {
  return JSON.stringify([id.scenario, id.tool, id.load, id.via, id.metrics, id.poolMax]);
}

/** "get-job · autocannon · 10 connections · pool max 10 · via pgbouncer", as report table titles read. */
export function groupTitle(id: CellIdentity): string {
  const parts = [id.scenario, id.tool];
  if ('targetRate' in id.load) parts.push(`target ${id.load.targetRate} req/s`);
  else parts.push(`${id.load.connections} ${id.tool === 'k6' ? 'VUs' : 'connections'}`);
  parts.push(`pool max ${id.poolMax}`);
  if (id.via !== 'direct') parts.push(`via ${id.via}`);
  if (id.metrics !== null) parts.push(`metrics ${id.metrics}`);
  return parts.join(' · ');
}

/** "pg-pool" or "pg-pool (label)". */
export function cellName(id: CellIdentity): string {
  return id.label === null ? id.adapter : `${id.adapter} (${id.label})`;
}

/** "pg-pool · get-job · autocannon · 10 connections · pool max 10": names a cell on its own. */
export function cellTitle(id: CellIdentity): string {
  return `${cellName(id)} · ${groupTitle(id)}`;
}

export interface CellPair {
  identity: CellIdentity;
  base: Cell;
  head: Cell;
}

export interface CellMatch {
  pairs: CellPair[]; // in the order cells first appear in base
  onlyBase: CellIdentity[];
  onlyHead: CellIdentity[];
  duplicates: CellIdentity[]; // identities seen twice on one side: the later cell is ignored
}

function index(cells: readonly Cell[], duplicates: CellIdentity[]): Map<string, Cell> {
  const byKey = new Map<string, Cell>();
  for (const cell of cells) {
    if (cell.rounds.length === 0) continue; // aborted before its first round: nothing to compare
    const key = identityKey(identityOf(cell));
    if (byKey.has(key)) duplicates.push(identityOf(cell));
    else byKey.set(key, cell);
  }
  return byKey;
}

/** Pairs cells by identity; cells only one side has are listed, not compared. */
export function matchCells(baseCells: readonly Cell[], headCells: readonly Cell[]): CellMatch {
  const duplicates: CellIdentity[] = [];
  const base = index(baseCells, duplicates);
  const head = index(headCells, duplicates);
  const pairs: CellPair[] = [];
  const onlyBase: CellIdentity[] = [];
  for (const [key, cell] of base) {
    const other = head.get(key);
    if (other) pairs.push({ identity: identityOf(cell), base: cell, head: other });
    else onlyBase.push(identityOf(cell));
  }
  const onlyHead = [...head].filter(([key]) => !base.has(key)).map(([, cell]) => identityOf(cell));
  return { pairs, onlyBase, onlyHead, duplicates };
}

/** A gate run holds both revisions in one file: true when any cell carries a side. */
export function hasSides(results: Results): boolean {
  return results.cells.some((c) => c.side !== undefined);
}

/** The base and head cells of a gate run's file (cells without a side are on neither). */
export function splitSides(results: Results): { base: Cell[]; head: Cell[] } {
  return {
    base: results.cells.filter((c) => c.side === 'base'),
    head: results.cells.filter((c) => c.side === 'head'),
  };
}

/**
 * Rounds of a pair that can be compared round by round: those whose number both sides have (a gate
 * interleaves base and head inside every round, so round k of each side saw the same machine state).
 */
export function pairedRounds(pair: CellPair): { base: Cell['rounds']; head: Cell['rounds'] } {
  const headByRound = new Map(pair.head.rounds.map((r) => [r.round, r]));
  const base = pair.base.rounds.filter((r) => headByRound.has(r.round)).sort((a, b) => a.round - b.round);
  return { base, head: base.map((r) => headByRound.get(r.round)!) };
}
