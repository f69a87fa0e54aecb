import type { Cell, Results } from '../results/types.ts';
import { countableRound, usableRound } from '../results/validity.ts';
import { identityOf, pairKey, type IdentityFields } from '../schedule/cell.ts';

/**
 * What makes two cells "the same measurement" on both sides: every dimension of the one cell identity
 * (bench/schedule/cell.ts) but the side. The numbers are not part of it.
 */
export type CellIdentity = IdentityFields;

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
    const key = pairKey(cell);
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

/** Rounds whose counts can be used (queries, database work): foreign CPU slows a window, it does not change its counts. */
export function countedRounds(pair: CellPair, paired: boolean): { base: Cell['rounds']; head: Cell['rounds'] } {
  if (paired) return pairedRounds(pair, countableRound);
  return { base: pair.base.rounds.filter(countableRound), head: pair.head.rounds.filter(countableRound) };
}

/**
 * Rounds of a pair that can be compared round by round: those whose number both sides have (a gate
 * interleaves base and head inside every round, so round k of each side saw the same machine state).
 */
export function pairedRounds(
  pair: CellPair,
  usable: (r: Cell['rounds'][number]) => boolean = usableRound,
): { base: Cell['rounds']; head: Cell['rounds'] } {
  // A pair is used only when both of its windows can be (results/validity.ts): one disturbed side breaks the pairing.
  const headByRound = new Map(pair.head.rounds.filter(usable).map((r) => [r.round, r]));
  const base = pair.base.rounds.filter((r) => usable(r) && headByRound.has(r.round)).sort((a, b) => a.round - b.round);
  return { base, head: base.map((r) => headByRound.get(r.round)!) };
}
