import { describe, expect, it } from 'vitest';
import { analyzeAdr } from '../../bench/kinds/adr/analyze.ts';
import { writeConclusion } from '../../bench/kinds/adr/conclusion.ts';
import type { AdrCapacityRun, AdrDesign } from '../../bench/kinds/adr/design.ts';
import { chooseRates, roundRate } from '../../bench/kinds/adr/rates.ts';
import { adrSummary, renderAdrMarkdown, renderAdrTerminal } from '../../bench/kinds/adr/render.ts';
import { scenarioWrites as writesJobs } from '../../scenarios/catalog.ts';
import { collectSeries, type AdrSeries } from '../../bench/kinds/adr/samples.ts';
import { buildAdrTable } from '../../bench/kinds/adr/table.ts';
import { pairedLogRatio } from '../../bench/stats/paired.ts';
import type { Cell, Round } from '../../bench/results/types.ts';
import { makeCell, makeRound } from '../support/results.ts';

const design: AdrDesign = {
  baseline: 'pg-sync',
  adapters: [
    { name: 'pg-sync', role: 'sync' },
    { name: 'pg-pool', role: 'async' },
  ],
  paths: ['mixed'],
  rounds: 5,
  closedConnections: 32,
  latency: { model: 'open', tool: 'k6', ratesPerS: { mixed: 200 }, rateRule: 'half of the baseline' },
  capacity: {
    scenario: 'mixed',
    slo: { p99Ms: 100, maxErrorRate: 0.01 },
    startConnections: 16,
    maxConnections: 4096,
    resolution: 0.25,
    rounds: 5,
    windowS: { warmupS: 1, durationS: 2 },
  },
};

const s = (
  adapter: string,
  series: AdrSeries['series'],
  values: number[],
  extra: Partial<AdrSeries> = {},
): AdrSeries => ({ adapter, path: 'mixed', series, values, notes: [], ...extra });

/**
 * Fixed inputs over 5 rounds (a verdict needs a 95% CI, DESIGN rule 13): the sync baseline at ~1 ms p50,
 * 400 req/s; pg-pool slightly faster and with twice the throughput.
 */
const SERIES: AdrSeries[] = [
  s('pg-sync', 'latency-p50', [1.0, 1.1, 1.2, 1.05, 1.15]),
  s('pg-pool', 'latency-p50', [1.0, 1.05, 1.1, 1.0, 1.1]),
  s('pg-sync', 'latency-p99', [40, 50, 60, 45, 55]),
  s('pg-pool', 'latency-p99', [16, 18, 20, 17, 19]), // -64%: within the claimed -60% band
  s('pg-sync', 'latency-p50-closed', [60, 70, 80, 65, 75]),
  s('pg-pool', 'latency-p50-closed', [40, 42, 44, 41, 43]),
  s('pg-sync', 'latency-p99-closed', [300, 700, 800, 500, 750]),
  s('pg-pool', 'latency-p99-closed', [110, 120, 200, 115, 150]),
  s('pg-sync', 'throughput', [380, 400, 420, 390, 410]),
  s('pg-pool', 'throughput', [790, 800, 820, 795, 810]), // +100%: the claimed +400% is refuted
  s('pg-sync', 'max-connections', [12, 14, 14, 13, 14]),
  s('pg-pool', 'max-connections', [32, 48, 56, 40, 48]),
  s('pg-sync', 'event-loop-max-delay', [150, 170, 180, 160, 175]),
  s('pg-pool', 'event-loop-max-delay', [20, 25, 30, 22, 28]),
  s('pg-sync', 'cpu-us-per-request', [650, 660, 700, 655, 680]),
  s('pg-pool', 'cpu-us-per-request', [500, 510, 520, 505, 515]),
];

/** The same runs cut to their first 3 rounds: each interval is the range of 3 rounds. */
const SERIES3: AdrSeries[] = SERIES.map((x) => ({ ...x, values: x.values.slice(0, 3) }));
const design3: AdrDesign = { ...design, rounds: 3 };

describe('the ADR table from fixed series', () => {
  const table = buildAdrTable(design, SERIES);
  const row = (series: string, adapter: string) =>
    table.rows.find((r) => r.series === series && r.adapter === adapter)!;

  it('has one row per ADR metric, way of measuring and adapter, in a stable order', () => {
    expect(table.rows.map((r) => `${r.series}/${r.adapter}`)).toEqual(
      [
        'latency-p50',
        'latency-p99',
        'latency-p50-closed',
        'latency-p99-closed',
        'throughput',
        'max-connections',
      ].flatMap((k) => [`${k}/pg-sync`, `${k}/pg-pool`]),
    );
  });

  it.each([
    { series: 'latency-p50', adapter: 'pg-sync', estimate: 50, verdict: 'refuted', gain: null },
    { series: 'latency-p50', adapter: 'pg-pool', estimate: 20, verdict: 'refuted', gain: 'refuted' }, // about -5%, CI above -20%: not the claimed -60%
    { series: 'latency-p99', adapter: 'pg-pool', estimate: 80, verdict: 'refuted', gain: 'confirmed' }, // 16-20 ms is far below ~80 ms, but -64% is the claimed gain
    { series: 'throughput', adapter: 'pg-sync', estimate: 100, verdict: 'refuted', gain: null },
    { series: 'throughput', adapter: 'pg-pool', estimate: 500, verdict: 'confirmed', gain: 'refuted' },
    // per-round ratios 32/12 … 56/14 (2.7× to 4.0×, 95% CI 2.7× to 4.0×) lie below the claimed 10× band [5, 20]
    { series: 'max-connections', adapter: 'pg-pool', estimate: 2000, verdict: 'refuted', gain: 'refuted' },
  ])('$series · $adapter: ADR ~$estimate is $verdict, gain $gain', ({ series, adapter, estimate, verdict, gain }) => {
    const r = row(series, adapter);
    expect(r.estimate).toBe(estimate);
    expect(r.judgement.verdict).toBe(verdict);
    expect(r.gain?.judgement.verdict ?? null).toBe(gain);
  });

  it('measures each async gain against the sync baseline: the geometric mean of per-round ratios, and its t interval', () => {
    const gain = row('throughput', 'pg-pool').gain!.measured!;
    const sync = [380, 400, 420, 390, 410];
    const pool = [790, 800, 820, 795, 810];
    const p = pairedLogRatio(sync, pool);
    if (p.kind !== 't') throw new Error(`5 pairs give a t interval, not ${p.kind}`);
    expect(gain.median).toBeCloseTo(Math.exp(pool.reduce((a, v, i) => a + Math.log(v / sync[i]!), 0) / 5), 9);
    expect(gain.ci95).toEqual([p.lo, p.hi]);
    expect(row('throughput', 'pg-pool').gain!.claimedRatio).toBe(5);
  });

  it('keeps event-loop delay and CPU per request as evidence without an estimate', () => {
    expect(table.evidence).toEqual([
      expect.objectContaining({
        adapter: 'pg-sync',
        eventLoopMaxDelayMs: expect.objectContaining({ median: 170 }),
        cpuUsPerRequest: expect.objectContaining({ median: 660 }),
      }),
      expect.objectContaining({ adapter: 'pg-pool', eventLoopMaxDelayMs: expect.objectContaining({ median: 25 }) }),
    ]);
  });

  it('makes a latency row inconclusive when the open-model window dropped iterations', () => {
    const dropped = SERIES.map((x) =>
      x.adapter === 'pg-pool' && x.series === 'latency-p99' ? { ...x, invalid: 'k6 dropped 12 iterations' } : x,
    );
    const r = buildAdrTable(design, dropped).rows.find((x) => x.series === 'latency-p99' && x.adapter === 'pg-pool')!;
    expect(r.judgement).toMatchObject({ verdict: 'inconclusive', why: 'k6 dropped 12 iterations' });
    expect(r.gain!.judgement).toMatchObject({ verdict: 'inconclusive', why: 'k6 dropped 12 iterations' });
    expect(r.invalid).toBe('k6 dropped 12 iterations');
  });

  it("flags an async adapter's gain, not its own value, when only the baseline's window dropped iterations", () => {
    const dropped = SERIES.map((x) =>
      x.adapter === 'pg-sync' && x.series === 'latency-p99' ? { ...x, invalid: 'k6 dropped 3 iterations' } : x,
    );
    const t = buildAdrTable(design, dropped);
    const r = t.rows.find((x) => x.series === 'latency-p99' && x.adapter === 'pg-pool')!;
    expect(r.invalid).toBeUndefined();
    expect(r.judgement.verdict).toBe('refuted');
    expect(r.gain).toMatchObject({ invalid: 'k6 dropped 3 iterations', judgement: { verdict: 'inconclusive' } });
    const analysis = { design, series: dropped, capacity: [], table: t, conclusion: writeConclusion(design, t) };
    expect(analysis.conclusion).toContain(
      '(the ADR claimed -60%, from windows where k6 dropped iterations: not conclusive)',
    );
    expect(renderAdrTerminal(analysis)).toContain('(invalid*)');
    expect(renderAdrMarkdown(analysis)).toContain('Rows marked "(invalid*)"');
  });

  // #22: "confirmed" on an absolute row read as the ADR being right while async was slower than sync
  it('words absolute rows "near / far from the estimate" and keeps confirmed / refuted for gains only', () => {
    const analysis = { design, series: SERIES, capacity: [], table, conclusion: writeConclusion(design, table) };
    const terminal = renderAdrTerminal(analysis);
    const throughputLine = renderAdrTerminal(analysis, Number.POSITIVE_INFINITY)
      .split('\n')
      .find((l) => l.includes('throughput') && l.includes('pg-pool'))!;
    // the case: 800 req/s lies near the ADR's ~500 (band 250–1000) while the claimed +400% is refuted
    expect(throughputLine).toMatch(/near the estimate .* refuted/);
    expect(throughputLine).not.toContain('confirmed');
    for (const out of [terminal, renderAdrMarkdown(analysis)]) expect(out).toContain('near the estimate');
  });

  // DESIGN rule 13: the range of 3 or 4 rounds covers the median ~75–88% of the time, not 95%
  it('judges nothing from the range of 3 rounds, and says where the range lies and why there is no verdict', () => {
    const t3 = buildAdrTable(design3, SERIES3);
    expect(t3.rows.map((r) => r.judgement.verdict)).toEqual(t3.rows.map(() => 'inconclusive'));
    expect(t3.rows.flatMap((r) => (r.gain ? [r.gain.judgement.verdict] : []))).toEqual([
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
    ]);
    const gain = t3.rows.find((r) => r.series === 'throughput' && r.adapter === 'pg-pool')!.gain!;
    expect(gain.measured!.ci95).toEqual([820 / 420, 790 / 380]); // the range of the per-round ratios
    expect(gain.judgement.why).toBe(
      'range, n = 3 +95% to +108% lies entirely below +150% to +900%; a range of 3 rounds supports no verdict',
    );
    const analysis = {
      design: design3,
      series: SERIES3,
      capacity: [],
      table: t3,
      conclusion: writeConclusion(design3, t3),
    };
    for (const out of [renderAdrTerminal(analysis), renderAdrMarkdown(analysis)]) {
      expect(out).not.toMatch(/95% CI|\bCI\b/);
      expect(out).toContain('range, n = 3');
    }
    expect(analysis.conclusion).toContain("the ADR's claimed gains are 0 confirmed, 0 refuted, 6 inconclusive");
  });

  // #22: the ADR conclusion was one 848-character line
  it('fits its terminal section in 120 columns, and --wide keeps the old one-line rows', () => {
    const analysis = { design, series: SERIES, capacity: [], table, conclusion: writeConclusion(design, table) };
    const widest = (t: string) => Math.max(...t.split('\n').map((l) => [...l].length));
    expect(widest(renderAdrTerminal(analysis))).toBeLessThanOrEqual(120);
    expect(widest(renderAdrTerminal(analysis, Number.POSITIVE_INFINITY))).toBeGreaterThan(120);
    expect(adrSummary(analysis)).toMatch(/^ADR-003: claimed gains \d+ confirmed, \d+ refuted, \d+ inconclusive/);
  });

  it('writes a conclusion with the measured gains beside the claimed ones, the direction and the blocking', () => {
    const text = writeConclusion(design, table);
    expect(text).toContain('throughput by +101% (pg-pool) (the ADR claimed +400%)');
    expect(text).toContain('p99 latency at 200 req/s by -64% (pg-pool) (the ADR claimed -60%)');
    expect(text).toContain('p99 latency under 32 busy connections by -76% (pg-pool) (the ADR claimed -60%)');
    expect(text).toContain(
      'the connections held within the SLO (p99 ≤ 100 ms) by +229% (pg-pool) (the ADR claimed +900%)',
    );
    expect(text).toContain(
      "The direction of the ADR's decision holds: the async adapter served more requests per second",
    );
    expect(text).toContain(
      'event loop of pg-sync stalled for up to 170.0 ms (median over rounds), against at most 25.00 ms',
    );
  });

  it('renders the Markdown section and the terminal table with every row, verdict, rule and limit', () => {
    const analysis = { design, series: SERIES, capacity: [], table, conclusion: writeConclusion(design, table) };
    const md = renderAdrMarkdown(analysis);
    expect(md).toContain('## ADR-003 checked: estimated vs measured');
    expect(md).toContain('| latency p99 at 200 req/s (open model) | pg-pool | ~80.00 ms | 18.00 ms [');
    expect(md).toContain('| throughput (closed, 32 conn) | pg-pool | ~500 req/s | 800 req/s [');
    expect(md).toContain('| max connections on mixed (p99 ≤ 100 ms, errors < 1%) | pg-sync | ~200 conn | 14 conn [');
    expect(md).toContain('### How the verdicts are decided');
    expect(md).toContain('### Limits of this test');
    expect(md).toContain('2 cores');
    const text = renderAdrTerminal(analysis);
    expect(text.split('\n').filter((l) => /^(latency|throughput|max connections)/.test(l))).toHaveLength(12);
    expect(text).toContain('Conclusion: On this machine');
  });
});

/** ADR rounds: 2 s windows of 1000 requests at 500 req/s. */
function round(i: number, overrides: Partial<Round> = {}): Round {
  return makeRound({
    round: i,
    durationS: 2,
    requests: 1000,
    requestsPerSec: 500,
    eventLoopMaxDelayMs: 10,
    ...overrides,
  });
}

function cell(adapter: string, rounds: Round[], extra: Partial<Cell> = {}): Cell {
  return makeCell({ adapter, scenario: 'mixed', connections: 32, rounds, ...extra });
}

describe('a blocking target in the ADR table (issue 19: the anti-pattern as a second "before")', () => {
  const withBlocking: AdrDesign = {
    ...design,
    adapters: [...design.adapters, { name: 'fastapi-psycopg2-async', role: 'blocking' }],
  };
  const blockingSeries = SERIES.filter((x) => x.adapter === 'pg-sync').map((x) => ({
    ...x,
    adapter: 'fastapi-psycopg2-async',
  }));
  const table = buildAdrTable(withBlocking, [...SERIES, ...blockingSeries]);

  it("carries the ADR's sync estimate and no gain, like the sync baseline", () => {
    const rows = table.rows.filter((r) => r.adapter === 'fastapi-psycopg2-async');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const sync = table.rows.find((x) => x.adapter === 'pg-sync' && x.series === r.series && x.path === r.path)!;
      expect({ role: r.role, estimate: r.estimate, gain: r.gain }).toEqual({
        role: 'blocking',
        estimate: sync.estimate,
        gain: null,
      });
    }
  });

  it('leaves the async rows as they were without it', () => {
    const before = buildAdrTable(design, SERIES).rows.filter((r) => r.role === 'async');
    expect(table.rows.filter((r) => r.role === 'async')).toEqual(before);
  });
});

describe('series read from the cells of a run', () => {
  const closed = cell('pg-sync', [
    round(1, { requestsPerSec: 400 }),
    round(2, { requestsPerSec: 410, errors: 20 }),
    round(3, { requestsPerSec: 420 }),
  ]);
  const open = cell('pg-sync', [round(1), round(2), round(3)], {
    tool: 'k6',
    targetRate: 200,
    achievedRate: 199,
    droppedIterations: 3,
    invalidForLatency: true,
  });
  const capacity: AdrCapacityRun[] = [
    { adapter: 'pg-sync', round: 1, heldConnections: 12, stoppedBy: 'slo', why: '', levels: [] },
    { adapter: 'pg-sync', round: 2, heldConnections: null, stoppedBy: 'slo', why: '', levels: [] },
  ];
  const series = collectSeries({ ...design, adapters: [{ name: 'pg-sync', role: 'sync' }] }, [closed, open], capacity);
  const get = (k: string) => series.find((x) => x.series === k)!;

  it('leaves rounds with errors >= 1% out of the throughput, and says so', () => {
    expect(get('throughput').values).toEqual([400, 420]);
    expect(get('throughput').notes.join(' ')).toMatch(/1 of 3 rounds left out/);
  });

  it('reads latencies in ms from the open-model cell and marks dropped iterations invalid', () => {
    expect(get('latency-p99').values).toEqual([4, 4, 4]);
    expect(get('latency-p99').invalid).toMatch(/dropped 3 iterations/);
    expect(get('latency-p99-closed').values).toEqual([4, 4, 4]);
  });

  it('counts a capacity search where no level held as 0 connections', () => {
    expect(get('max-connections').values).toEqual([12, 0]);
  });

  it('feeds analyzeAdr end to end', () => {
    const analysis = analyzeAdr({ ...design, adapters: [{ name: 'pg-sync', role: 'sync' }] }, [closed, open], capacity);
    expect(analysis.table.rows.length).toBeGreaterThan(0);
    expect(analysis.conclusion).toContain('claimed gains are');
  });
});

describe('the fixed arrival rate', () => {
  it.each([
    [253.7, 250],
    [99.9, 99],
    [1234, 1200],
    [7.4, 7],
    [0.3, 1],
  ])('%f req/s rounds down to %i', (n, expected) => {
    expect(roundRate(n)).toBe(expected);
  });

  it("is a fraction of the baseline's median closed-model throughput, per path, unless given", () => {
    const c = cell('pg-sync', [
      round(1, { requestsPerSec: 400 }),
      round(2, { requestsPerSec: 500 }),
      round(3, { requestsPerSec: 600 }),
    ]);
    expect(chooseRates([c], 'pg-sync', ['mixed'], 32, 0.5)).toEqual({ mixed: 250 });
    expect(chooseRates([c], 'pg-sync', ['mixed'], 32, 0.5, 123)).toEqual({ mixed: 123 });
    expect(() => chooseRates([c], 'pg-sync', ['stats'], 32, 0.5)).toThrow(
      /no closed-model measurement of pg-sync on stats/,
    );
  });
});

describe('paths that write', () => {
  it.each([
    ['create', true],
    ['mixed', true],
    ['search', false],
    ['stats', false],
    ['get-job', false],
    ['unknown', false],
  ])('%s inserts jobs: %s (its windows are followed by a restore of the seeded rows)', (scenario, writes) => {
    expect(writesJobs(scenario)).toBe(writes);
  });
});
