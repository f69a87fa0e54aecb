import type { Cell } from '../../results/types.ts';
import type { TargetStyle } from '../../targets/styles.ts';
import { median } from '../../stats/bootstrap.ts';
import type { AdrDbTime } from './design.ts';

const ANYIO_THREADS = 40; // Starlette's thread pool when --threads is not given

/**
 * The Little's-law bound of one target in one map cell (DESIGN.md "The ADR's question is conditional"):
 * a server that has at most N requests in flight, each spending L in the database, serves at most N / L
 * requests per second. N is the smallest of what the style allows:
 *   sync `def`         min(clients, threads, pool) per worker      → N / L
 *   async              min(clients, pool) per worker               → N / L
 *   blocking (in async) 1 per worker, and it also waits its own CPU → workers / (L + CPU per request)
 * L is measured, not the setting: the target's own DB time per call, smallest over its windows at this
 * latency (the lightest load waits least for a pool connection), so a statement-cache miss that costs a
 * second round trip is in it.
 */
export interface LittleBound {
  style: TargetStyle;
  lMs: number | null; // DB time per request (null: not measured, e.g. metrics off or a Node target)
  inFlight: number; // N: requests the target can have in the database at once
  binds: string; // what sets N: "clients", "threads", "pool", "event loop"
  boundReqPerS: number | null; // N / L (blocking: workers / (L + CPU)); null without L
  measuredReqPerS: number;
}

/** The smallest DB time per call of one target at one latency, in ms (null when none was recorded). */
export function measuredL(dbTime: readonly AdrDbTime[], cell: Cell): number | null {
  const own = dbTime.filter(
    (d) =>
      d.adapter === cell.adapter &&
      (d.label ?? null) === (cell.label ?? null) &&
      d.dbLatencyMs === cell.dbLatencyMs &&
      d.scenario === cell.scenario,
  );
  return own.length === 0 ? null : Math.min(...own.map((d) => d.usPerCall)) / 1000;
}

/** The bound of a closed-model cell of a target of this style, next to its measured median throughput. */
export function littleBound(cell: Cell, style: TargetStyle, lMs: number | null): LittleBound {
  const workers = cell.workers ?? 1;
  const measuredReqPerS = median(cell.rounds.map((r) => r.requestsPerSec));
  const limits: [string, number][] =
    style === 'blocking'
      ? [['event loop', workers]]
      : [
          ['clients', cell.connections],
          ['pool', cell.poolMax * workers],
          // A FastAPI `def` target: its thread pool; a Node sync target (pg-sync): one blocking process each.
          ...(style !== 'sync'
            ? []
            : cell.targetKind === 'fastapi'
              ? ([['threads', (cell.threads ?? ANYIO_THREADS) * workers]] as [string, number][])
              : ([['processes', workers]] as [string, number][])),
        ];
  const [binds, inFlight] = limits.reduce((a, b) => (b[1] < a[1] ? b : a));
  let boundReqPerS: number | null = null;
  if (lMs !== null && lMs > 0) {
    const cpuUs = median(cell.rounds.map((r) => r.serverCpuUsPerRequest ?? 0));
    const perRequestMs = style === 'blocking' ? lMs + cpuUs / 1000 : lMs;
    boundReqPerS = (inFlight * 1000) / perRequestMs;
  }
  return { style, lMs, inFlight, binds, boundReqPerS, measuredReqPerS };
}

/** "≤ 800 req/s (40 threads / 50.2 ms); measured 310", the way the map prints a bound. */
export function boundText(b: LittleBound): string {
  if (b.boundReqPerS === null) return `bound n/a (no DB time measured; ${b.inFlight} in flight, set by ${b.binds})`;
  const how =
    b.style === 'blocking'
      ? `${b.inFlight} / (L ${b.lMs!.toFixed(1)} ms + CPU)`
      : `${b.inFlight} ${b.binds} / L ${b.lMs!.toFixed(1)} ms`;
  return `≤ ${Math.round(b.boundReqPerS)} req/s (${how}); measured ${Math.round(b.measuredReqPerS)}`;
}
