/** A cell as a fraction of this machine's ceilings: the number that travels between machines. Pure. */
import { SCENARIOS } from '../../scenarios/catalog.ts';
import type { Cell } from '../results/types.ts';
import type { Ceilings } from '../results/ceilings.ts';

export interface CeilingFractions {
  http: number | null; // the cell's median req/s ÷ the bare node:http server's req/s
  db: number | null; // ÷ the DB ceiling's tx/s (get-job's query): only for scenarios that use the database
  sameLoad: boolean; // the ceilings were measured with the cell's tool and connections
}

function ratio(value: number, ceiling: number | undefined): number | null {
  return ceiling !== undefined && ceiling > 0 && Number.isFinite(value) ? value / ceiling : null;
}

export function fractionOfCeiling(
  cell: Pick<Cell, 'scenario' | 'tool' | 'connections' | 'summary'>,
  ceilings: Pick<Ceilings, 'http' | 'db' | 'httpByTool'>,
): CeilingFractions {
  const rps = cell.summary.requestsPerSec.median;
  const scenario = Object.prototype.hasOwnProperty.call(SCENARIOS, cell.scenario)
    ? SCENARIOS[cell.scenario as keyof typeof SCENARIOS]
    : undefined;
  // Several tools in one run: each cell against its own tool's ceiling (the tools differ in generator cost).
  const http = ceilings.httpByTool?.find((h) => h.tool === cell.tool) ?? ceilings.http;
  return {
    http: ratio(rps, http?.requestsPerSec),
    db: scenario?.usesDatabase ? ratio(rps, ceilings.db?.transactionsPerSec) : null,
    sameLoad:
      http !== null &&
      http.tool === cell.tool &&
      http.connections === cell.connections &&
      (ceilings.db === null || ceilings.db.clients === cell.connections),
  };
}
