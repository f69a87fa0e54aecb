/**
 * The capacity search as a pure step function: given the levels measured so far, decide the next
 * number of concurrent connections to try, or stop with the largest level that held. Doubling from
 * the start level finds a failing level quickly; bisecting between the last level that held and the
 * first that failed then narrows the answer down to `resolution`. No I/O here: `run.ts` measures.
 */

/** What one level measured, as the search needs it. */
export interface LevelOutcome {
  connections: number;
  errorRate: number; // (errors + non-2xx) / attempts, 0..1
  p99Ms: number;
  requestsPerSec: number;
}

/** The service level a level must keep to "hold". */
export interface CapacitySlo {
  p99Ms: number; // p99 latency must stay at or below this
  maxErrorRate: number; // errors must stay below this share of attempts (0.01 = 1%)
}

export const DEFAULT_SLO: CapacitySlo = { p99Ms: 100, maxErrorRate: 0.01 };

/**
 * Bisection stops once the gap between the last level that held and the first that failed is at most
 * this share of the held level (or 1 connection): finer steps cost windows and land within the noise
 * of one short window anyway.
 */
export const DEFAULT_RESOLUTION = 0.1;

export interface SearchSettings {
  startConnections: number;
  maxConnections: number; // --max-connections
  fdMaxConnections?: number; // the most connections the file-descriptor limit allows (see fd-limit.ts)
  slo: CapacitySlo;
  resolution?: number; // share of the held level, default DEFAULT_RESOLUTION
}

/** Why the search ended. */
export const STOP_REASONS = {
  slo: 'a level broke the SLO (error rate or p99); the answer is the largest level below it that held',
  'max-connections': 'every level up to --max-connections held: the server may hold more',
  'fd-limit': 'every level up to the file-descriptor limit held: the fd limit, not the server, stopped the search',
} as const;
export type StopReason = keyof typeof STOP_REASONS;

export type SearchStep =
  | { action: 'measure'; connections: number; why: string }
  | {
      action: 'stop';
      heldConnections: number | null; // null: not even the smallest level tried held
      firstFailingConnections: number | null;
      stoppedBy: StopReason;
      why: string;
    };

/** Why a level broke the SLO, or null when it held. */
export function sloBreach(outcome: LevelOutcome, slo: CapacitySlo): string | null {
  const reasons: string[] = [];
  if (outcome.errorRate >= slo.maxErrorRate)
    reasons.push(`error rate ${formatPercent(outcome.errorRate)} ≥ ${formatPercent(slo.maxErrorRate)}`);
  if (outcome.p99Ms > slo.p99Ms) reasons.push(`p99 ${outcome.p99Ms.toFixed(1)} ms > ${slo.p99Ms} ms`);
  return reasons.length > 0 ? reasons.join(' and ') : null;
}

/** The highest level the search may try, and which limit sets it. */
export function searchCeiling(settings: SearchSettings): {
  connections: number;
  limit: 'max-connections' | 'fd-limit';
} {
  const fd = settings.fdMaxConnections;
  if (fd !== undefined && fd < settings.maxConnections)
    return { connections: Math.max(1, Math.floor(fd)), limit: 'fd-limit' };
  return { connections: settings.maxConnections, limit: 'max-connections' };
}

/**
 * The next step of the search. Conservative with noisy data: the answer is the largest level that
 * held below the smallest level that failed, so a level that fails below one that held wins.
 * A level measured more than once holds only if every measurement held.
 */
export function nextStep(measured: readonly LevelOutcome[], settings: SearchSettings): SearchStep {
  if (!Number.isInteger(settings.startConnections) || settings.startConnections < 1)
    throw new RangeError('startConnections must be a whole number >= 1');
  if (!Number.isInteger(settings.maxConnections) || settings.maxConnections < 1)
    throw new RangeError('maxConnections must be a whole number >= 1');
  const resolution = settings.resolution ?? DEFAULT_RESOLUTION;
  const ceiling = searchCeiling(settings);
  const held = new Map<number, boolean>();
  for (const m of measured)
    held.set(m.connections, (held.get(m.connections) ?? true) && sloBreach(m, settings.slo) === null);

  if (held.size === 0) {
    const start = Math.min(settings.startConnections, ceiling.connections);
    return { action: 'measure', connections: start, why: `start at ${start} connections` };
  }
  const failing = [...held].filter(([, ok]) => !ok).map(([c]) => c);
  const firstBad = failing.length > 0 ? Math.min(...failing) : null;
  const good = [...held].filter(([c, ok]) => ok && (firstBad === null || c < firstBad)).map(([c]) => c);
  const lastGood = good.length > 0 ? Math.max(...good) : null;

  if (firstBad === null) {
    // Everything held so far: double, up to the ceiling.
    const top = lastGood!;
    if (top >= ceiling.connections) {
      return {
        action: 'stop',
        heldConnections: top,
        firstFailingConnections: null,
        stoppedBy: ceiling.limit,
        why: `${top} connections held and ${ceiling.limit === 'fd-limit' ? 'the file-descriptor limit allows no more' : `--max-connections is ${settings.maxConnections}`}`,
      };
    }
    const next = Math.min(top * 2, ceiling.connections);
    return {
      action: 'measure',
      connections: next,
      why: `${top} held: double to ${next}${next === ceiling.connections && next < top * 2 ? ` (capped by ${ceiling.limit})` : ''}`,
    };
  }

  // A level failed: bisect between the last level that held (or 0) and the first that failed.
  const lo = lastGood ?? 0;
  const gap = firstBad - lo;
  const closeEnough = gap <= Math.max(1, Math.floor(lo * resolution));
  if (closeEnough) {
    return {
      action: 'stop',
      heldConnections: lastGood,
      firstFailingConnections: firstBad,
      stoppedBy: 'slo',
      why:
        lastGood === null
          ? `even ${firstBad} connection${firstBad === 1 ? '' : 's'} broke the SLO`
          : `${lastGood} held and ${firstBad} failed (within ${Math.round(resolution * 100)}% or 1 connection)`,
    };
  }
  const next = Math.floor((lo + firstBad) / 2);
  return {
    action: 'measure',
    connections: next,
    why: `${lastGood === null ? 'nothing held yet' : `${lastGood} held`}, ${firstBad} failed: bisect to ${next}`,
  };
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 2 : 1)}%`;
}
