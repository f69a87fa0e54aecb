import type { Cell } from '../../results/types.ts';
import { writeConclusion } from './conclusion.ts';
import type { AdrCapacityRun, AdrDesign } from './design.ts';
import type { AdrState } from './execute.ts';
import type { AdrPlan } from './plan.ts';
import { collectSeries, type AdrSeries } from './samples.ts';
import { buildAdrTable, type AdrTable } from './table.ts';

/** What `jobbench adr` stores in results.extra.adr: enough to re-render the ADR section without the cells. */
export interface AdrAnalysis {
  design: AdrDesign;
  series: AdrSeries[]; // per-round values behind every row
  capacity: AdrCapacityRun[]; // every capacity search with its levels
  table: AdrTable;
  conclusion: string;
}

export function analyzeAdr(
  design: AdrDesign,
  cells: readonly Cell[],
  capacity: readonly AdrCapacityRun[],
): AdrAnalysis {
  const series = collectSeries(design, cells, capacity);
  const table = buildAdrTable(design, series);
  return { design, series, capacity: [...capacity], table, conclusion: writeConclusion(design, table) };
}

/** The adr kind's analysis: the ADR table with verdicts and the conclusion. */
export function analyzeAdrKind(_plan: AdrPlan, cells: readonly Cell[], state: AdrState): AdrAnalysis {
  return analyzeAdr(state.design, cells, state.capacity);
}
