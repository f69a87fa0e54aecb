import type { TargetFactors } from '../bench/targets/factors.ts';
import { intListFlag } from './args.ts';
import { UsageError } from './command.ts';

/** --db-latency, --threads, --workers (and --pool-max as a list): the factors a run varies on its targets. */
export const FACTOR_FLAGS = {
  'db-latency': { type: 'string' },
  threads: { type: 'string' },
  workers: { type: 'string' },
} as const;

export const FACTOR_FLAGS_HELP = `  --db-latency L[,M]  ms added to every round trip between each target and PostgreSQL, through Toxiproxy
                      (one downstream latency toxic per setting; 0 goes through the proxy too, so every
                      cell pays the same hop), e.g. 0,2,10,50: one table per setting, interleaved like
                      targets (needs toxiproxy: bash scripts/setup-tools.sh toxiproxy)
  --pool-max N[,M]    as a list: every target at each pool size, interleaved (one table per size)
  --threads N[,M]     thread pool of the sync FastAPI target (fastapi-psycopg2; anyio's default 40), one
                      target per value; async and blocking targets have none and keep one
  --workers N[,M]     uvicorn worker processes of the FastAPI targets, each with its own pool (pools ×
                      workers connections), one target per value`;

type FactorValues = { 'db-latency'?: string; threads?: string; workers?: string; 'pool-max'?: string };

/**
 * The factor lists, and the values with --pool-max cut to its first item for the shared options
 * (which take one pool size; the list goes to the targets).
 */
export function readFactors<V extends FactorValues>(values: V): { values: V; factors: TargetFactors } {
  const list = (flag: keyof FactorValues, min: number, max: number) => {
    const items = intListFlag(flag, values[flag], min, max);
    if (items && new Set(items).size !== items.length) throw new UsageError(`--${flag}: a value is repeated`);
    return items;
  };
  const dbLatencyMs = list('db-latency', 0, 10_000);
  const poolMax = list('pool-max', 1, 10_000);
  const threads = list('threads', 1, 10_000);
  const workers = list('workers', 1, 64);
  const factors: TargetFactors = {
    ...(dbLatencyMs ? { dbLatencyMs } : {}),
    ...(poolMax && poolMax.length > 1 ? { poolMax } : {}),
    ...(threads ? { threads } : {}),
    ...(workers ? { workers } : {}),
  };
  return { values: poolMax ? { ...values, 'pool-max': String(poolMax[0]) } : values, factors };
}
