import type { Tool } from './types.ts';
import { findWrk } from './wrk.ts';

/**
 * The load tool when --tool is not given: wrk when it is installed, else autocannon (npm, always there).
 * Measured on this project's 2-core machine, interleaved (scripts/generator-cost.ts): wrk ≈ 34 µs of CPU
 * per request, jobbench's autocannon worker ≈ 75–90. On a small machine the generator's CPU is taken from
 * the server and PostgreSQL, so the cheaper generator leaves more of the machine to what is measured.
 */
export function defaultTool(env: NodeJS.ProcessEnv = process.env): Tool {
  return findWrk(env) ? 'wrk' : 'autocannon';
}
