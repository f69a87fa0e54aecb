/**
 * The pool-size recommendation of a sweep, as a pure function of the measured curve: the smallest pool
 * that reaches at least `peakShare` of the peak throughput with p99 within the SLO (and errors under
 * the limit). Beside it, the two estimates an operator would make without measuring, so the report can
 * show whether they agree: Little's law (busy connections = requests/s × DB time per request) and the
 * HikariCP rule of thumb (connections = cores × 2 + effective spindles).
 */

/** One pool size of one (adapter, scenario, load) sweep: medians over rounds. */
export interface SweepPoint {
  poolMax: number;
  requestsPerSec: number;
  requestsPerSecCi95: [number, number] | null;
  p50Ms: number;
  p99Ms: number;
  errorRate: number; // 0..1
  poolWaitingMax: number | null; // null when the driver has no pool gauge
  dbBackends: number;
  cpuUsPerRequest: number;
  dbTimeUsPerRequest: number | null; // mean time in the repository per request (includes pool wait); null: not measured
  generatorBound: boolean;
  connections: number; // client connections (closed model): at most this many requests in flight
  rate?: number; // open model (k6): the arrival rate; then `connections` bounds nothing
  pgbouncer?: { svActiveMax: number; svTotalMax: number; clWaitingMax: number; maxWaitMsMax: number };
}

export interface SweepCriteria {
  peakShare: number; // 0.95: "reaches 95% of the peak"
  sloP99Ms: number;
  maxErrorRate: number; // 0.01
}

export const DEFAULT_CRITERIA: SweepCriteria = { peakShare: 0.95, sloP99Ms: 100, maxErrorRate: 0.01 };

/** What the rule of thumb needs to know about the database machine. */
export interface MachineContext {
  cores: number | null; // the DATABASE server's cores; null when it is not this machine
  spindles: number; // effective spindles: 0 when the active data set is cached
  spindlesWhy: string;
  coresWhy: string;
}

export interface LittleEstimate {
  dbTimeUsPerRequest: number | null; // W
  source: string; // where W comes from
  atRequestsPerSec: number; // X: the peak
  busyConnections: number | null; // L = X × W (a mean; bursts need more)
  poolMax: number | null; // ceil(L)
}

export interface Recommendation {
  points: SweepPoint[]; // by pool size
  peak: { poolMax: number; requestsPerSec: number } | null;
  thresholdRequestsPerSec: number; // peakShare × peak
  kneePoolMax: number | null; // smallest pool reaching the threshold, SLO aside
  recommendedPoolMax: number | null; // smallest pool reaching the threshold within the SLO
  bestWithinSlo: number | null; // the highest-throughput pool within the SLO (the fallback when none qualifies)
  withinSlo: number[]; // pool sizes whose p99 and errors met the SLO
  little: LittleEstimate;
  ruleOfThumb: { poolMax: number | null; formula: string };
  reasoning: string[]; // sentences, in order, for the terminal and the report
}

export function withinSlo(p: SweepPoint, c: SweepCriteria): boolean {
  return p.p99Ms <= c.sloP99Ms && p.errorRate < c.maxErrorRate;
}

/**
 * W for Little's law: how long a request holds a database connection when connections are not
 * contended. The best source is the utilization law on the smallest saturated pool: a pool of p
 * connections that always had requests waiting (a closed model with fewer connections in the pool than
 * clients, or a pool gauge above 0) is busy all the time, so each request holds a connection for
 * p / X. The smallest such pool (usually 1) has the least contention inside PostgreSQL, so its W is
 * closest to the uncontended hold time; larger pools see W grow with contention, which is the very
 * effect that makes them useless past the knee. Without a saturated pool (an open model below
 * saturation), the server's DB-time metric where nothing waited is used: the mean time a request spent
 * in the repository, which then includes no pool wait.
 */
export function dbTimeForLittle(points: readonly SweepPoint[]): { us: number | null; source: string } {
  const saturated = points
    .filter(
      (p) =>
        p.requestsPerSec > 0 && ((p.poolWaitingMax ?? 0) > 0 || (p.rate === undefined && p.poolMax < p.connections)),
    )
    .sort((a, b) => a.poolMax - b.poolMax);
  const first = saturated[0];
  if (first) {
    return {
      us: (first.poolMax * 1e6) / first.requestsPerSec,
      source: `the connection hold time at pool ${first.poolMax}, where the pool was saturated (every connection always busy, so each request holds one for pool / throughput = ${first.poolMax} / ${Math.round(first.requestsPerSec)} req/s)`,
    };
  }
  const free = points.filter(
    (p) => p.dbTimeUsPerRequest !== null && p.dbTimeUsPerRequest > 0 && p.poolWaitingMax === 0,
  );
  if (free.length > 0) {
    const values = free.map((p) => p.dbTimeUsPerRequest!).sort((a, b) => a - b);
    const mid = Math.floor(values.length / 2);
    const us = values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    return {
      us,
      source: `jobbench_db_query_duration_seconds, the median over the pool sizes where no request waited for a connection (${free.map((p) => p.poolMax).join(', ')})`,
    };
  }
  return { us: null, source: 'not measured (no saturated pool size and no DB-time metric without waiting)' };
}

export function recommendPool(
  input: readonly SweepPoint[],
  criteria: SweepCriteria,
  machine: MachineContext,
): Recommendation {
  const points = [...input].sort((a, b) => a.poolMax - b.poolMax);
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
  const rps = (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`;
  const ruleOfThumb =
    machine.cores === null
      ? { poolMax: null, formula: `cores × 2 + effective spindles: unknown here (${machine.coresWhy})` }
      : {
          poolMax: machine.cores * 2 + machine.spindles,
          formula: `cores × 2 + effective spindles = ${machine.cores} × 2 + ${machine.spindles} = ${machine.cores * 2 + machine.spindles}`,
        };
  const empty = {
    points,
    peak: null,
    thresholdRequestsPerSec: 0,
    kneePoolMax: null,
    recommendedPoolMax: null,
    bestWithinSlo: null,
    withinSlo: [],
    little: {
      dbTimeUsPerRequest: null,
      source: 'no measurement',
      atRequestsPerSec: 0,
      busyConnections: null,
      poolMax: null,
    },
    ruleOfThumb,
  };
  if (points.length === 0 || points.every((p) => p.requestsPerSec <= 0)) {
    return { ...empty, reasoning: ['No pool size served any request: nothing to recommend.'] };
  }

  const peakPoint = points.reduce((best, p) => (p.requestsPerSec > best.requestsPerSec ? p : best));
  const threshold = peakPoint.requestsPerSec * criteria.peakShare;
  const reaching = points.filter((p) => p.requestsPerSec >= threshold);
  const ok = points.filter((p) => withinSlo(p, criteria));
  const knee = reaching[0]?.poolMax ?? null;
  const recommended = reaching.find((p) => withinSlo(p, criteria)) ?? null;
  const best = ok.length > 0 ? ok.reduce((b, p) => (p.requestsPerSec > b.requestsPerSec ? p : b)) : null;

  const w = dbTimeForLittle(points);
  const busy = w.us === null ? null : (peakPoint.requestsPerSec * w.us) / 1e6;
  const little: LittleEstimate = {
    dbTimeUsPerRequest: w.us === null ? null : Math.round(w.us * 10) / 10,
    source: w.source,
    atRequestsPerSec: peakPoint.requestsPerSec,
    busyConnections: busy === null ? null : Math.round(busy * 100) / 100,
    poolMax: busy === null ? null : Math.max(1, Math.ceil(busy)),
  };

  const reasoning: string[] = [];
  reasoning.push(
    `Measured: the peak is ${rps(peakPoint.requestsPerSec)} at pool ${peakPoint.poolMax}; ${pct(criteria.peakShare)} of it is ${rps(threshold)}, ` +
      `first reached at pool ${knee} (the knee). ${ok.length === points.length ? 'Every pool size' : ok.length === 0 ? 'No pool size' : `Pool sizes ${ok.map((p) => p.poolMax).join(', ')}`} kept p99 ≤ ${criteria.sloP99Ms} ms with errors < ${pct(criteria.maxErrorRate)}.`,
  );
  if (recommended) {
    reasoning.push(
      `Recommendation: pool ${recommended.poolMax}, the smallest pool with ≥ ${pct(criteria.peakShare)} of the peak (${rps(recommended.requestsPerSec)}, ${pct(recommended.requestsPerSec / peakPoint.requestsPerSec)}) and p99 ${ms(recommended.p99Ms)} within the SLO. ` +
        (recommended.poolMax === peakPoint.poolMax
          ? 'It is also the peak: no smaller pool came within reach of it.'
          : pct(1 - recommended.requestsPerSec / peakPoint.requestsPerSec) === '0%'
            ? 'Larger pools add no measurable throughput while holding more PostgreSQL backends.'
            : `Larger pools buy at most ${pct(1 - recommended.requestsPerSec / peakPoint.requestsPerSec)} more throughput while holding more PostgreSQL backends.`),
    );
  } else if (best) {
    reasoning.push(
      `No recommendation: no pool size reaches ${pct(criteria.peakShare)} of the peak within the SLO. The best within the SLO is pool ${best.poolMax} (${rps(best.requestsPerSec)}, ${pct(best.requestsPerSec / peakPoint.requestsPerSec)} of the peak, p99 ${ms(best.p99Ms)}); the peak itself broke the SLO.`,
    );
  } else {
    reasoning.push(
      `No recommendation: no pool size kept p99 ≤ ${criteria.sloP99Ms} ms with errors < ${pct(criteria.maxErrorRate)}. The load (connections or rate) is too high for this SLO on this machine, or the SLO too tight.`,
    );
  }
  if (little.busyConnections !== null) {
    reasoning.push(
      `Little's law: busy connections = throughput × time a request holds a connection = ${rps(peakPoint.requestsPerSec)} × ${ms(little.dbTimeUsPerRequest! / 1000)} ≈ ${little.busyConnections.toFixed(1)}: ` +
        `about ${little.poolMax} connection${little.poolMax === 1 ? '' : 's'} can carry the peak if each is held no longer than uncontended (W from ${w.source}). A mean: bursts need some headroom above it, and past the database's cores more connections only lengthen W.`,
    );
  } else {
    reasoning.push(`Little's law: not computed (${w.source}).`);
  }
  reasoning.push(
    `Rule of thumb (HikariCP, "About Pool Sizing"): ${ruleOfThumb.formula}${machine.cores === null ? '' : ` (${machine.coresWhy}; spindles: ${machine.spindlesWhy})`}.`,
  );
  const estimates = [little.poolMax, ruleOfThumb.poolMax].filter((n): n is number => n !== null);
  if (recommended && estimates.length > 0) {
    const agree = estimates.every((e) => e <= recommended.poolMax * 2 && e >= recommended.poolMax / 2);
    reasoning.push(
      agree
        ? `The estimates (${estimates.join(' and ')}) agree with the measurement within a factor of two.`
        : `The estimates (${estimates.join(' and ')}) differ from the measurement by more than a factor of two: trust the measurement for this machine and workload, and re-run the sweep when either changes.`,
    );
  }
  if (points.some((p) => p.generatorBound)) {
    reasoning.push(
      `Caution: the load generator used ≥ 90% of a core at pool ${points
        .filter((p) => p.generatorBound)
        .map((p) => p.poolMax)
        .join(
          ', ',
        )}: the throughput there is a floor, and the curve may flatten because of the generator rather than the pool.`,
    );
  }
  return {
    points,
    peak: { poolMax: peakPoint.poolMax, requestsPerSec: peakPoint.requestsPerSec },
    thresholdRequestsPerSec: Math.round(threshold * 1000) / 1000,
    kneePoolMax: knee,
    recommendedPoolMax: recommended?.poolMax ?? null,
    bestWithinSlo: best?.poolMax ?? null,
    withinSlo: ok.map((p) => p.poolMax),
    little,
    ruleOfThumb,
    reasoning,
  };
}
