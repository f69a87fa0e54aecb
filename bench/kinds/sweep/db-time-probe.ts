import { startPoolSampler, type PoolWindow } from '../../pgbouncer/admin.ts';
import type { Via } from '../../results/types.ts';
import type { LoadRunner, LoadWindow, WindowMeasurement } from '../../runners/types.ts';
import type { TargetSpec } from '../../target.ts';
import { METRIC } from '../../../src/metrics/names.ts';

/**
 * DB time per request for Little's law, measured per window without touching the runner core: this
 * wraps the load runner and reads the server's /metrics just before and just after each measured
 * window. jobbench_db_query_duration_seconds times every repository call, including the wait for a
 * pool connection (src/metrics/instrument-repository.ts), so Δsum / Δcount is the mean time a request
 * spends in the database layer. Behind PgBouncer it also samples SHOW POOLS during the window.
 */

export interface ProbedWindow {
  adapter: string;
  poolMax: number;
  via: Via;
  scenario: string;
  connections: number;
  rate?: number;
  dbCalls: number; // repository calls during the window (ping excluded)
  dbTimeUsPerCall: number | null; // null: no call, or metrics off
  pgbouncer?: PoolWindow;
}

interface Scrape {
  adapter: string | null;
  poolMax: number | null;
  sumS: number;
  count: number;
}

const LABELS = /\{([^}]*)\}/;

function labels(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inner = LABELS.exec(line)?.[1] ?? '';
  for (const m of inner.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** The numbers the probe needs from a Prometheus text exposition (pure; exported for tests). */
export function parseScrape(text: string): Scrape {
  let adapter: string | null = null;
  let poolMax: number | null = null;
  let sumS = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${METRIC.info}{`)) {
      const l = labels(line);
      adapter = l.adapter ?? null;
      poolMax = l.pool_max === undefined ? null : Number(l.pool_max);
    } else if (
      line.startsWith(`${METRIC.dbQueryDuration}_sum{`) ||
      line.startsWith(`${METRIC.dbQueryDuration}_count{`)
    ) {
      if (labels(line).operation === 'ping') continue; // readiness checks, not requests
      if (line.startsWith(`${METRIC.dbQueryDuration}_sum{`)) sumS += value;
      else count += value;
    }
  }
  return { adapter, poolMax, sumS, count };
}

async function scrape(baseUrl: string): Promise<Scrape | null> {
  try {
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return res.ok ? parseScrape(await res.text()) : null;
  } catch {
    return null;
  }
}

/**
 * A runner that measures like `inner` and records a ProbedWindow per measured window. measureWindow
 * calls the runner once for the warm-up (when warmupS > 0), then once for the measured window, against
 * each freshly started target (a new port each time): so with a warm-up, every second call on a
 * (target, load) is the measured one. Targets are visited one at a time, so `visiting(spec)`, called
 * from the benchmark's connect hook just before each target starts, names the target of the next
 * windows (its route in particular, which the server's /metrics does not tell).
 */
export function probingRunner(
  inner: LoadRunner,
  options: { warmup: boolean; pgbouncer?: { adminUrl: string; database: string } },
) {
  const windows: ProbedWindow[] = [];
  const calls = new Map<string, number>();
  let current: TargetSpec | undefined;
  const runner: LoadRunner = {
    tool: inner.tool,
    async run(window: LoadWindow, signal?: AbortSignal): Promise<WindowMeasurement> {
      const key = [window.baseUrl, window.scenario, window.connections, window.rate ?? ''].join('|');
      const n = (calls.get(key) ?? 0) + 1;
      calls.set(key, n);
      const measured = !options.warmup || n % 2 === 0;
      if (!measured) return inner.run(window, signal);
      const target = current;
      const before = await scrape(window.baseUrl);
      const pools =
        options.pgbouncer && target?.via === 'pgbouncer'
          ? await startPoolSampler(options.pgbouncer.adminUrl, options.pgbouncer.database).catch(() => null)
          : null;
      try {
        return await inner.run(window, signal);
      } finally {
        const after = await scrape(window.baseUrl);
        const pgbouncer = (await pools?.stop()) ?? undefined;
        if (target && before && after) {
          const dbCalls = after.count - before.count;
          windows.push({
            adapter: target.adapter,
            poolMax: target.poolMax,
            via: target.via,
            scenario: window.scenario,
            connections: window.connections,
            ...(window.rate === undefined ? {} : { rate: window.rate }),
            dbCalls,
            dbTimeUsPerCall: dbCalls > 0 ? Math.round(((after.sumS - before.sumS) / dbCalls) * 1e6 * 10) / 10 : null,
            ...(pgbouncer ? { pgbouncer } : {}),
          });
        }
      }
    },
  };
  return {
    runner,
    windows,
    visiting(spec: TargetSpec) {
      current = spec;
    },
  };
}
