/**
 * What a row shows beyond the adapters' comparison: the generator's cost per request, the cell as a
 * fraction of the machine's ceilings (results.ceilings), and where the server's time went (--cpu-profile).
 * Pure; read by model.ts, formatted by columns.ts and markdown.ts.
 */
import { fractionOfCeiling, type CeilingFractions } from '../ceilings/fraction.ts';
import type { SelfTime } from '../results/cpu.ts';
import type { Cell, LatencyUs, Results } from '../results/types.ts';
import { median } from '../stats/bootstrap.ts';

export interface CellExtras {
  generatorUsPerRequest?: number; // median over rounds
  ceiling?: CeilingFractions; // fractions, 0..1
  topSelf?: SelfTime[]; // summed over the rounds' profiles, largest first
  /** Some answers were 503 (load shedding): their share, 0..1, and the latency of the admitted rest (absent: wrk). */
  shed?: { share: number; admittedLatencyUs?: LatencyUs };
}

const TOP_FUNCTIONS = 8;

export function cellExtras(cell: Cell, results: Pick<Results, 'ceilings'>): CellExtras {
  const extras: CellExtras = {};
  const gen = cell.rounds.map((r) => r.cpu?.generatorUsPerRequest).filter((v): v is number => v !== undefined);
  if (gen.length > 0) extras.generatorUsPerRequest = median(gen);
  const { shedShare, admittedLatencyUs } = cell.summary;
  if (shedShare !== undefined) extras.shed = { share: shedShare, ...(admittedLatencyUs ? { admittedLatencyUs } : {}) };
  if (results.ceilings && cell.rounds.length > 0) extras.ceiling = fractionOfCeiling(cell, results.ceilings);
  const profiled = cell.rounds.filter((r) => r.profile !== undefined);
  if (profiled.length > 0) {
    const byFn = new Map<string, SelfTime>();
    let totalMs = 0;
    for (const r of profiled) {
      totalMs += r.profile!.sampledMs;
      for (const f of r.profile!.top) {
        const key = `${f.functionName} ${f.url}:${f.line}`;
        const e = byFn.get(key) ?? { ...f, selfMs: 0, selfPercent: 0 };
        e.selfMs += f.selfMs;
        byFn.set(key, e);
      }
    }
    extras.topSelf = [...byFn.values()]
      .map((f) => ({
        ...f,
        selfMs: Math.round(f.selfMs * 10) / 10,
        selfPercent: totalMs > 0 ? (f.selfMs / totalMs) * 100 : 0,
      }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, TOP_FUNCTIONS);
  }
  return extras;
}

/**
 * "21% of PostgreSQL alone (same queries, 10 clients), 64% of HTTP": the DB fraction reads the cell
 * against PostgreSQL running the cell's own statements; "≤" when the HTTP ceiling was a floor (its
 * generator, not the bare server, was the bottleneck: the true fraction is at most the one shown). A cell
 * above its DB ceiling says so: that ceiling (one short measurement) is then a floor.
 */
export function ceilingText(c: CellExtras['ceiling']): string {
  if (!c) return '';
  const pct = (f: number) => `${f >= 0.095 ? Math.round(f * 100) : (f * 100).toFixed(1)}%`;
  const clients = c.dbClients === undefined ? '' : `, ${c.dbClients} clients`;
  const db =
    c.db !== null && c.dbAbove
      ? `${pct(c.db)} of PostgreSQL alone (same queries${clients}): above it, so that ceiling is a floor`
      : c.db !== null
        ? `${c.dbAtMost ? '≤ ' : ''}${pct(c.db)} of PostgreSQL alone (same queries${clients})`
        : c.dbNote?.startsWith('n/a')
          ? `DB ${c.dbNote}`
          : '';
  const http = c.http === null ? '' : `${c.httpAtMost ? '≤ ' : ''}${pct(c.http)} of HTTP`;
  const parts = [db, http].filter(Boolean);
  return parts.join(', ') + (c.sameLoad || parts.length === 0 ? '' : ' (other load)');
}
