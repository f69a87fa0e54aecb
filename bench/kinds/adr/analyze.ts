import type { Cell } from '../../results/types.ts';
import { writeConclusion } from './conclusion.ts';
import type { AdrCapacityRun, AdrDbTime, AdrDesign } from './design.ts';
import { buildAdrMap, type AdrMap } from './map.ts';
import { writeMapConclusion } from './map-conclusion.ts';
import type { AdrState } from './execute.ts';
import type { AdrPlan } from './plan.ts';
import { collectSeries, type AdrSeries } from './samples.ts';
import { resourcesOf, stackDesign, stacksOf, type AdrResources } from './design.ts';
import type { AdrStackName } from './stacks.ts';
import { buildAdrTable, type AdrTable } from './table.ts';

/** What `jobbench adr` stores in results.extra.adr: enough to re-render the ADR section without the cells. */
export interface AdrAnalysis {
  design: AdrDesign;
  series: AdrSeries[]; // per-round values behind every row
  capacity: AdrCapacityRun[]; // every capacity search with its levels
  table: AdrTable; // every stack's rows (the first stack's baseline)
  conclusion: string; // every stack's conclusion
  /** One entry per stack: its own table (gains against its own baseline), conclusion and resources. */
  stacks?: AdrStackAnalysis[];
  dbTime?: AdrDbTime[]; // the targets' own DB time per call, per window (the map's L)
}

/** One path's map (latency × concurrency) of one stack, and the conclusion generated from it. */
export interface AdrPathMap {
  path: string;
  map: AdrMap;
  conclusion: string;
}

export interface AdrStackAnalysis {
  stack: AdrStackName;
  design: AdrDesign; // the run's design restricted to this stack
  table: AdrTable;
  conclusion: string;
  resources: AdrResources[];
  maps?: AdrPathMap[];
}

export function analyzeAdr(
  design: AdrDesign,
  allCells: readonly Cell[],
  allCapacity: readonly AdrCapacityRun[],
  dbTime: readonly AdrDbTime[] = [],
): AdrAnalysis {
  // The ADR table reads one slice of the map: the first --db-latency setting (the map has them all).
  const first = design.dbLatenciesMs?.[0];
  const cells = allCells.filter((c) => c.dbLatencyMs === first);
  const capacity = allCapacity.filter((c) => c.dbLatencyMs === first);
  const stacks: AdrStackAnalysis[] = stacksOf(design).map((s) => {
    const sub = stackDesign(design, s);
    const table = buildAdrTable(sub, collectSeries(sub, cells, capacity));
    return {
      stack: s.stack,
      design: sub,
      table,
      conclusion: writeConclusion(sub, table),
      resources: resourcesOf(sub, cells),
      maps: stackMaps(sub, allCells, allCapacity, dbTime),
    };
  });
  const series = collectSeries(design, cells, capacity);
  const table: AdrTable = {
    ...stacks[0]!.table,
    rows: stacks.flatMap((s) => s.table.rows),
    evidence: stacks.flatMap((s) => s.table.evidence),
  };
  const conclusion =
    stacks.length === 1 ? stacks[0]!.conclusion : stacks.map((s) => `${s.stack}: ${s.conclusion}`).join(' ');
  return {
    design,
    series,
    capacity: [...capacity],
    table,
    conclusion,
    stacks,
    ...(dbTime.length > 0 ? { dbTime: [...dbTime] } : {}),
  };
}

/** Every path's map of one stack: its async targets against each of its "befores", over every cell. */
function stackMaps(
  design: AdrDesign,
  cells: readonly Cell[],
  capacity: readonly AdrCapacityRun[],
  dbTime: readonly AdrDbTime[],
): AdrPathMap[] {
  const styles = new Map(design.adapters.map((a) => [a.name, a.role]));
  const names = new Set(design.adapters.map((a) => a.name));
  const own = capacity.filter((c) => names.has(c.adapter));
  return design.paths.map((path) => {
    const map = buildAdrMap({ scenario: path, styles, cells, dbTime });
    return { path, map, conclusion: writeMapConclusion(map, own) };
  });
}

/** The adr kind's analysis: the ADR table with verdicts and the conclusion. */
export function analyzeAdrKind(_plan: AdrPlan, cells: readonly Cell[], state: AdrState): AdrAnalysis {
  return analyzeAdr(state.design, cells, state.capacity, state.dbTime ?? []);
}
