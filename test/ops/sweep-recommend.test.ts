import { describe, expect, it } from 'vitest';
import {
  dbTimeForLittle,
  recommendPool,
  DEFAULT_CRITERIA,
  type MachineContext,
  type SweepPoint,
} from '../../bench/kinds/sweep/recommend.ts';

const MACHINE: MachineContext = {
  cores: 2,
  spindles: 0,
  coresWhy: 'os.cpus() of this machine, which runs the database',
  spindlesWhy: 'data set cached',
};
const POOLS = [1, 2, 4, 8, 16, 32, 64];

/** A curve from throughputs and p99s (ms), one per pool size of POOLS. */
function curve(rps: number[], p99: number[], extra: Partial<SweepPoint> = {}): SweepPoint[] {
  return rps.map((r, i) => ({
    poolMax: POOLS[i]!,
    requestsPerSec: r,
    requestsPerSecCi95: null,
    p50Ms: p99[i]! / 3,
    p99Ms: p99[i]!,
    errorRate: 0,
    poolWaitingMax: POOLS[i]! >= 64 ? 0 : 10,
    dbBackends: POOLS[i]!,
    cpuUsPerRequest: 300,
    dbTimeUsPerRequest: 1000,
    generatorBound: false,
    connections: 64,
    ...extra,
  }));
}

describe('recommendPool on fixed curves', () => {
  it.each([
    {
      name: 'knee: throughput climbs then flattens, p99 falls then rises',
      rps: [500, 950, 1800, 2600, 2700, 2650, 2600],
      p99: [180, 90, 45, 30, 32, 40, 55],
      knee: 8,
      recommended: 8,
      peak: 16,
    },
    {
      name: 'flat: every pool size gives the same throughput',
      rps: [2000, 2000, 2000, 2000, 2000, 2000, 2000],
      p99: [20, 20, 20, 20, 20, 20, 20],
      knee: 1,
      recommended: 1,
      peak: 1,
    },
    {
      name: 'noisy: ±4% around a plateau from pool 4',
      rps: [900, 1700, 2480, 2560, 2450, 2590, 2500],
      p99: [90, 60, 35, 34, 36, 33, 35],
      knee: 4,
      recommended: 4,
      peak: 32,
    },
    {
      name: 'monotonic: still climbing at the largest pool',
      rps: [300, 600, 1200, 1900, 2600, 3100, 3400],
      p99: [95, 80, 60, 45, 40, 38, 37],
      knee: 64,
      recommended: 64,
      peak: 64,
    },
    {
      name: 'knee reached but its p99 breaks the SLO: the next pool within the SLO wins',
      rps: [500, 1000, 2000, 2900, 3000, 2950, 2900],
      p99: [400, 300, 200, 150, 90, 95, 99],
      knee: 8,
      recommended: 16,
      peak: 16,
    },
    {
      name: 'none within the SLO',
      rps: [500, 1000, 2000, 2900, 3000, 2950, 2900],
      p99: [400, 300, 200, 150, 120, 130, 140],
      knee: 8,
      recommended: null,
      peak: 16,
    },
  ])('$name', ({ rps, p99, knee, recommended, peak }) => {
    const r = recommendPool(curve(rps, p99), DEFAULT_CRITERIA, MACHINE);
    expect(r.kneePoolMax).toBe(knee);
    expect(r.recommendedPoolMax).toBe(recommended);
    expect(r.peak?.poolMax).toBe(peak);
    expect(r.reasoning.join(' ')).toContain(
      recommended === null ? 'No recommendation' : `Recommendation: pool ${recommended}`,
    );
  });

  it('falls back to the best pool within the SLO when the peak breaks it, without recommending', () => {
    const r = recommendPool(
      curve([500, 1000, 2000, 2500, 3000, 3100, 3200], [50, 50, 60, 80, 120, 130, 140]),
      DEFAULT_CRITERIA,
      MACHINE,
    );
    expect(r.recommendedPoolMax).toBeNull();
    expect(r.bestWithinSlo).toBe(8);
    expect(r.withinSlo).toEqual([1, 2, 4, 8]);
  });

  it('counts errors against the SLO', () => {
    const points = curve([500, 1000, 2000, 2000, 2000, 2000, 2000], [10, 10, 10, 10, 10, 10, 10]).map((p) =>
      p.poolMax === 4 ? { ...p, errorRate: 0.02 } : p,
    );
    expect(recommendPool(points, DEFAULT_CRITERIA, MACHINE)).toMatchObject({ kneePoolMax: 4, recommendedPoolMax: 8 });
  });

  it.each([
    { peakShare: 0.8, expected: 4 },
    { peakShare: 0.95, expected: 8 },
    { peakShare: 1, expected: 16 },
  ])('honours --peak-share $peakShare', ({ peakShare, expected }) => {
    const r = recommendPool(
      curve([500, 950, 2200, 2600, 2700, 2650, 2600], [50, 40, 30, 30, 30, 30, 30]),
      { ...DEFAULT_CRITERIA, peakShare },
      MACHINE,
    );
    expect(r.recommendedPoolMax).toBe(expected);
  });

  it('sorts the points by pool size whatever their order', () => {
    const r = recommendPool(
      curve([500, 950, 1800, 2600, 2700, 2650, 2600], [50, 40, 30, 30, 30, 30, 30]).reverse(),
      DEFAULT_CRITERIA,
      MACHINE,
    );
    expect(r.points.map((p) => p.poolMax)).toEqual(POOLS);
    expect(r.recommendedPoolMax).toBe(8);
  });

  it('recommends nothing when nothing was served', () => {
    expect(recommendPool([], DEFAULT_CRITERIA, MACHINE)).toMatchObject({ recommendedPoolMax: null, peak: null });
    expect(
      recommendPool(curve([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]), DEFAULT_CRITERIA, MACHINE).recommendedPoolMax,
    ).toBeNull();
  });

  it("shows Little's law and the rule of thumb with their numbers", () => {
    const r = recommendPool(
      curve([500, 950, 1800, 2600, 2700, 2650, 2600], [50, 40, 30, 30, 30, 30, 30]),
      DEFAULT_CRITERIA,
      MACHINE,
    );
    expect(r.little).toMatchObject({
      dbTimeUsPerRequest: 2000,
      atRequestsPerSec: 2700,
      busyConnections: 5.4,
      poolMax: 6,
    });
    expect(r.ruleOfThumb).toEqual({ poolMax: 4, formula: 'cores × 2 + effective spindles = 2 × 2 + 0 = 4' });
    expect(
      r.reasoning.some((s) =>
        s.startsWith(
          "Little's law: busy connections = throughput × time a request holds a connection = 2,700 req/s × 2.00 ms ≈ 5.4",
        ),
      ),
    ).toBe(true);
    expect(r.reasoning.some((s) => s.includes('agree with the measurement'))).toBe(true);
  });

  it('says when the cores of the database machine are unknown', () => {
    const r = recommendPool(curve([1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1, 1]), DEFAULT_CRITERIA, {
      ...MACHINE,
      cores: null,
      coresWhy: 'the database is on another host',
    });
    expect(r.ruleOfThumb.poolMax).toBeNull();
    expect(r.ruleOfThumb.formula).toContain('the database is on another host');
  });

  it('flags a generator-bound curve', () => {
    const points = curve([500, 950, 1800, 2600, 2700, 2650, 2600], [50, 40, 30, 30, 30, 30, 30]).map((p) => ({
      ...p,
      generatorBound: p.poolMax >= 16,
    }));
    expect(recommendPool(points, DEFAULT_CRITERIA, MACHINE).reasoning.at(-1)).toContain(
      'load generator used ≥ 90% of a core at pool 16, 32, 64',
    );
  });
});

describe("dbTimeForLittle: W for Little's law", () => {
  const base = curve([500, 950, 1800, 2600, 2700, 2650, 2600], [50, 40, 30, 30, 30, 30, 30]);
  it.each([
    {
      name: 'the hold time of the smallest saturated pool: pool / throughput (utilization law)',
      points: base,
      us: 2000, // 1 / 500 req/s
    },
    {
      name: 'the smallest saturated pool when pool 1 was not measured',
      points: base.filter((p) => p.poolMax >= 4),
      us: 4e6 / 1800,
    },
    {
      name: 'a pool gauge above 0 marks a pool saturated in an open model too',
      points: base.map((p) => ({ ...p, rate: 1000, connections: 50, poolWaitingMax: p.poolMax === 8 ? 3 : 0 })),
      us: 8e6 / 2600,
    },
    {
      name: 'without a saturated pool, the DB-time metric where nothing waited (median)',
      points: base.map((p) => ({ ...p, rate: 1000, poolWaitingMax: 0, dbTimeUsPerRequest: p.poolMax * 100 })),
      us: 800, // 100 .. 6400 over 7 pools
    },
    {
      name: 'nothing without a saturated pool and without the metric',
      points: base.map((p) => ({ ...p, rate: 1000, poolWaitingMax: null, dbTimeUsPerRequest: null })),
      us: null,
    },
  ])('$name', ({ points, us }) => {
    const w = dbTimeForLittle(points).us;
    if (us === null) expect(w).toBeNull();
    else expect(w).toBeCloseTo(us, 6);
  });
});
