import type { MetricId } from './metrics.ts';
import type { Verdict } from './verdict.ts';

/** A comparison's verdict over every cell and metric: the worst one (n/a never wins). */
export type Overall = Exclude<Verdict, 'n/a'>;

/** One regressed cell × metric, as the headline and the outputs list it. */
export interface Regression {
  cell: string;
  short: string;
  metric: MetricId;
  label: string;
  changePct: number | null;
  reason: string;
}

/** How cell × metric verdicts add up: the worst one wins, and the headline says it first. */

export const SEVERITY: readonly Verdict[] = ['regressed', 'inconclusive', 'improved', 'unchanged', 'n/a'];
export const worst = (verdicts: readonly Verdict[]): Verdict => SEVERITY.find((v) => verdicts.includes(v)) ?? 'n/a';

export function headlineOf(
  overall: Overall,
  counts: Record<Verdict, number>,
  regressions: readonly Regression[],
): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const tally = (['regressed', 'improved', 'unchanged', 'inconclusive', 'n/a'] as const)
    .filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${v}`)
    .join(', ');
  if (overall === 'regressed') {
    const change = (p: number | null) => (p === null ? '' : ` ${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}%`);
    const first = regressions.slice(0, 3).map((r) => `${r.short} ${r.label}${change(r.changePct)}`);
    const more = regressions.length > 3 ? `; and ${regressions.length - 3} more` : '';
    return `REGRESSED: ${counts.regressed} of ${total} cell × metric checks (${tally}): ${first.join('; ')}${more}`;
  }
  return `PASS (${overall}): ${total} cell × metric checks (${tally})`;
}
