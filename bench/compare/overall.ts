import type { Comparison, Overall } from './compare.ts';
import type { Verdict } from './verdict.ts';

/** How cell × metric verdicts add up: the worst one wins, and the headline says it first. */

export const SEVERITY: readonly Verdict[] = ['regressed', 'inconclusive', 'improved', 'unchanged', 'n/a'];
export const worst = (verdicts: readonly Verdict[]): Verdict => SEVERITY.find((v) => verdicts.includes(v)) ?? 'n/a';

export function headlineOf(
  overall: Overall,
  counts: Record<Verdict, number>,
  regressions: Comparison['regressions'],
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
