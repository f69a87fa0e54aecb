import type { DbWorkFigures } from '../results/db-work.ts';
import type { Round } from '../results/types.ts';
import { median } from '../stats/bootstrap.ts';

/**
 * Which statement moved a database-work total: each statement's figure per request, median over the
 * rounds that counted (a round where it was not called counts 0), base vs head, the largest change first.
 * Statements are matched by their normalized text (the two sides' databases have different queryids).
 */
export interface StatementChange {
  query: string;
  base: number;
  head: number;
}

function byStatement(rounds: readonly Round[], field: keyof DbWorkFigures): Map<string, number> {
  const counted = rounds.filter((r) => r.dbWork);
  const queries = new Set(counted.flatMap((r) => r.dbWork!.statements.map((s) => s.query)));
  return new Map(
    [...queries].map((q) => [
      q,
      median(counted.map((r) => r.dbWork!.statements.find((s) => s.query === q)?.[field] ?? 0)),
    ]),
  );
}

export function statementChanges(
  base: readonly Round[],
  head: readonly Round[],
  field: keyof DbWorkFigures,
): StatementChange[] {
  const b = byStatement(base, field);
  const h = byStatement(head, field);
  const queries = new Set([...b.keys(), ...h.keys()]);
  return [...queries]
    .map((query) => ({ query, base: b.get(query) ?? 0, head: h.get(query) ?? 0 }))
    .filter((c) => c.base !== c.head)
    .sort((x, y) => Math.abs(y.head - y.base) - Math.abs(x.head - x.base));
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const QUERY_SHOWN = 90; // characters of the statement in a reason

/** `"SELECT … FROM jobs WHERE id = $1": 3 → 890` for the statement that changed most, or null. */
export function mostChangedText(
  base: readonly Round[],
  head: readonly Round[],
  field: keyof DbWorkFigures,
): string | null {
  const top = statementChanges(base, head, field)[0];
  if (!top) return null;
  const q = top.query.length > QUERY_SHOWN ? `${top.query.slice(0, QUERY_SHOWN)}…` : top.query;
  const what = top.base === 0 ? 'new statement' : top.head === 0 ? 'statement gone' : 'statement';
  return `${what} "${q}": ${fmt(top.base)} → ${fmt(top.head)}`;
}
