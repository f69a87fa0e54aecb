import { formatInt, formatRate } from '../../report/format.ts';
import type { Estimate } from '../../results/types.ts';

/** Number formatting of the ADR table: every value carries its unit; ratios print as the ADR does (%). */

export function formatValue(unit: string, n: number): string {
  switch (unit) {
    case 'ms': {
      const abs = Math.abs(n);
      return `${abs >= 1000 ? formatInt(n) : abs >= 100 ? n.toFixed(1) : abs >= 10 ? n.toFixed(2) : n.toFixed(3)} ms`;
    }
    case 'req/s':
      return formatRate(n);
    case 'connections':
      return `${formatInt(n)} conn`;
    case 'users':
      return `${formatInt(n)} users`;
    default:
      return `${Math.abs(n) >= 100 ? formatInt(n) : n.toFixed(1)} ${unit}`;
  }
}

/** A ratio async ÷ sync as the relative change the ADR writes: 0.4 -> "-60%", 5 -> "+400%". */
export function formatChange(ratio: number): string {
  const pct = (ratio - 1) * 100;
  const digits = Math.abs(pct) >= 10 ? 0 : 1;
  const rounded = Number(pct.toFixed(digits));
  if (rounded === 0) return `${(0).toFixed(digits)}%`; // no "-0%"
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(digits)}%`;
}

/** "1.234 ms [1.100 ms, 1.400 ms]", or the median alone (no interval: the header says so), or "–". */
export function formatMeasured(estimate: Estimate | null, format: (n: number) => string): string {
  if (estimate === null) return '–';
  if (estimate.ci95 === null) return format(estimate.median);
  return `${format(estimate.median)} [${format(estimate.ci95[0])}, ${format(estimate.ci95[1])}]`;
}
