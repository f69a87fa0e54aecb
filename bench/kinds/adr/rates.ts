import type { Cell } from '../../results/types.ts';
import { median } from '../../stats/bootstrap.ts';

/** Two significant digits, at least 1: rates a reader can repeat (253.7 -> 250). */
export function roundRate(reqPerS: number): number {
  if (!(reqPerS >= 1)) return 1;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(reqPerS)) - 1);
  return Math.max(1, Math.floor(reqPerS / magnitude) * magnitude);
}

/**
 * The fixed arrival rate per path: `fraction` of the sync baseline's median closed-model throughput
 * on that path, so that the baseline can sustain it (the ADR's latency rows are about a load both
 * drivers carry, not about saturation). An explicit rate applies to every path.
 */
export function chooseRates(
  cells: readonly Cell[],
  baseline: string,
  paths: readonly string[],
  closedConnections: number,
  fraction: number,
  fixedRate?: number,
): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const path of paths) {
    if (fixedRate !== undefined) {
      rates[path] = fixedRate;
      continue;
    }
    const cell = cells.find(
      (c) =>
        c.adapter === baseline &&
        c.scenario === path &&
        c.targetRate === undefined &&
        c.connections === closedConnections,
    );
    if (!cell || cell.rounds.length === 0)
      throw new Error(`no closed-model measurement of ${baseline} on ${path} to derive its arrival rate from`);
    rates[path] = roundRate(fraction * median(cell.rounds.map((r) => r.requestsPerSec)));
  }
  return rates;
}
