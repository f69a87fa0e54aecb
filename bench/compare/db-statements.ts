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

/**
 * One side's database work per request over its counted rounds, the figure the verdict compares.
 * A window's total is a sample of the scenario's request mix: search runs ~120 statement shapes whose
 * shared blocks per call differ 1000-fold, so two windows of ~1,300 requests read 88 and 105 blocks per
 * request with no change at all, and the median over 8 rounds moved 2.4% between two sides of one build
 * (gate-calibration-2026-12-07d). So:
 * - calls: all calls ÷ all requests of the side's rounds (an added or dropped query moves it);
 * - rows, shared and temp blocks: each statement's figure per call, pooled over the side's rounds,
 *   weighted by how often the two sides together called it per request — the same mix on both sides,
 *   so that what moves the figure is the work of a call, not which calls a window happened to draw.
 *   A statement only one side called counts on that side at its own rate (per request).
 * Null when a side has no counted round.
 */
export function dbWorkPerRequest(
  base: readonly Round[],
  head: readonly Round[],
  field: keyof DbWorkFigures,
): { base: number; head: number } | null {
  const pooled = (rounds: readonly Round[]) => {
    const counted = rounds.filter((r) => r.dbWork);
    const requests = counted.reduce((n, r) => n + r.dbWork!.requests, 0);
    const calls = new Map<string, number>();
    const work = new Map<string, number>();
    for (const r of counted)
      for (const s of r.dbWork!.statements) {
        calls.set(s.query, (calls.get(s.query) ?? 0) + s.calls * r.dbWork!.requests);
        work.set(s.query, (work.get(s.query) ?? 0) + s[field] * r.dbWork!.requests);
      }
    return { requests, calls, work };
  };
  const b = pooled(base);
  const h = pooled(head);
  if (b.requests === 0 || h.requests === 0) return null;
  if (field === 'calls') {
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, x) => a + x, 0);
    return { base: sum(b.calls) / b.requests, head: sum(h.calls) / h.requests };
  }
  const side = (own: typeof b, other: typeof b) => {
    let total = 0;
    for (const [query, calls] of own.calls) {
      const otherCalls = other.calls.get(query) ?? 0;
      if (otherCalls === 0 || calls === 0) total += own.work.get(query)! / own.requests;
      else total += ((calls + otherCalls) / (b.requests + h.requests)) * (own.work.get(query)! / calls);
    }
    return total;
  };
  return { base: side(b, h), head: side(h, b) };
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
