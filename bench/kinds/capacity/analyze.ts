import type { Cell } from '../../results/types.ts';
import type { FdReport } from '../../host/fd-limit.ts';
import type { CapacityPlan } from './plan.ts';
import type { CapacitySearchResult } from '../../levels/run-searches.ts';
import type { CapacitySlo } from '../../levels/search.ts';

/** What `jobbench capacity` stores in results.extra.capacity; the sections below render from it alone. */
export interface CapacityState {
  searches: CapacitySearchResult[];
  fd: FdReport;
  pgbouncer?: CapacityAnalysis['pgbouncer'];
}

export interface CapacityAnalysis {
  slo: CapacitySlo;
  maxConnections: number;
  startConnections: number;
  resolution: number;
  roundsPerLevel: number;
  fd: FdReport | null;
  pgbouncer?: { version: string; poolSize: number; preparedStatements: boolean };
  searches: Omit<CapacitySearchResult, 'cells' | 'fd'>[];
}

/** The stored form of a search: its cells are already in results.cells, and the fd report is shared. */
export function storedSearch(result: CapacitySearchResult): CapacityAnalysis['searches'][number] {
  const { cells: _cells, fd: _fd, ...rest } = result;
  return rest;
}

/** The capacity kind's analysis: every search with its curve (the cells hold the rounds). */
export function analyzeCapacity(plan: CapacityPlan, _cells: readonly Cell[], state: CapacityState): CapacityAnalysis {
  return {
    slo: plan.slo,
    maxConnections: plan.maxConnections,
    startConnections: plan.startConnections,
    resolution: plan.resolution,
    roundsPerLevel: plan.roundsPerLevel,
    fd: state.searches[0]?.fd ?? state.fd,
    ...(state.pgbouncer ? { pgbouncer: state.pgbouncer } : {}),
    searches: state.searches.map(storedSearch),
  };
}
