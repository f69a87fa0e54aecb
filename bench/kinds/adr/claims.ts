/**
 * ADR-003's performance table (origin/ADR-003-asyncpg.md, "Benchmarks (estimés)"): the numbers it
 * estimated for the sync driver (psycopg2) and the async one (asyncpg), never measured. Units are the
 * ones we measure in: ms, req/s, concurrent client connections.
 */
export const ADR_CLAIMS = {
  'latency-p50': { label: 'latency p50', unit: 'ms', sync: 50, async: 20, claimedChange: -0.6 },
  'latency-p99': { label: 'latency p99', unit: 'ms', sync: 200, async: 80, claimedChange: -0.6 },
  throughput: { label: 'throughput', unit: 'req/s', sync: 100, async: 500, claimedChange: 4 },
  'max-connections': { label: 'max connections', unit: 'connections', sync: 200, async: 2000, claimedChange: 9 },
} as const satisfies Record<string, Claim>;

export interface Claim {
  label: string;
  unit: string;
  sync: number; // the ADR's estimate for the sync driver
  async: number; // the ADR's estimate for the async driver
  claimedChange: number; // async vs sync as a relative change: -0.6 is "-60%", 4 is "+400%"
}

export type ClaimKey = keyof typeof ADR_CLAIMS;
export const CLAIM_KEYS = Object.keys(ADR_CLAIMS) as ClaimKey[];

/** The ratio async ÷ sync that a claimed change means: -60% is 0.4, +400% is 5. */
export function claimedRatio(key: ClaimKey): number {
  return 1 + ADR_CLAIMS[key].claimedChange;
}
