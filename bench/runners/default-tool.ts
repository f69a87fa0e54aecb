import type { Tool } from './types.ts';

/**
 * The load tool when --tool is not given: autocannon. wrk costs less generator CPU per request (≈ 34 µs vs
 * 75–90 for jobbench's autocannon worker, scripts/generator-cost.ts) but records less (no per-status counts
 * by default, a timeline only through a costlier Lua callback, no admitted-latency split) and is not an npm
 * package: the default must give the same cells on every machine whatever is installed (README, "Which
 * load tool by default").
 */
export function defaultTool(): Tool {
  return 'autocannon';
}
