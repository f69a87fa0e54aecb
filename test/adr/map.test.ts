import { describe, expect, it } from 'vitest';
import { buildAdrMap, mapVerdict, type AdrMap } from '../../bench/kinds/adr/map.ts';
import { writeMapConclusion } from '../../bench/kinds/adr/map-conclusion.ts';
import { mapHtml, mapMarkdown, mapTerminal } from '../../bench/kinds/adr/map-render.ts';
import { littleBound } from '../../bench/kinds/adr/map-bounds.ts';
import type { AdrDbTime } from '../../bench/kinds/adr/design.ts';
import { pairedLogRatio } from '../../bench/stats/paired.ts';
import type { TargetStyle } from '../../bench/targets/styles.ts';
import type { Cell } from '../../bench/results/types.ts';
import { makeCell, makeRound } from '../support/results.ts';

const styles = new Map<string, TargetStyle>([
  ['fastapi-psycopg2', 'sync'],
  ['fastapi-psycopg2-async', 'blocking'],
  ['fastapi-asyncpg', 'async'],
]);

/** A closed-model cell with one round per value (req/s), rounds numbered 1..n. */
function closed(
  adapter: string,
  dbLatencyMs: number,
  connections: number,
  rps: number[],
  extra: Partial<Cell> = {},
): Cell {
  return makeCell({
    adapter,
    scenario: 'get-job',
    connections,
    poolMax: 40,
    dbLatencyMs,
    targetKind: 'fastapi',
    ...(adapter === 'fastapi-psycopg2' ? { threads: 40, label: '40 threads' } : {}),
    rounds: rps.map((requestsPerSec, i) => makeRound({ round: i + 1, requestsPerSec, requests: requestsPerSec * 8 })),
    ...extra,
  });
}

const FIVE = (x: number) => [x, x * 1.02, x * 0.98, x * 1.01, x * 0.99];

/**
 * Synthetic rounds with known answers: at L = 50 ms and 128 connections asyncpg serves ×3 the sync
 * code (whose 40 threads bind) and ×40 the anti-pattern; at L = 0 every side is CPU-bound and ties;
 * at 16 connections and L = 50 only three rounds: a range, so inconclusive.
 */
function cells(): Cell[] {
  return [
    closed('fastapi-psycopg2', 0, 128, FIVE(400)),
    closed('fastapi-asyncpg', 0, 128, [404, 396, 410, 398, 402]), // within a few % of the sync code, with noise
    closed('fastapi-psycopg2-async', 0, 128, FIVE(600)),
    closed('fastapi-psycopg2', 50, 128, FIVE(780)),
    closed('fastapi-asyncpg', 50, 128, FIVE(2400)),
    closed('fastapi-psycopg2-async', 50, 128, FIVE(19)),
    closed('fastapi-psycopg2', 50, 16, [300, 310, 290]),
    closed('fastapi-asyncpg', 50, 16, [305, 300, 295]),
  ];
}

const dbTime: AdrDbTime[] = [
  {
    adapter: 'fastapi-psycopg2',
    label: '40 threads',
    poolMax: 40,
    dbLatencyMs: 50,
    scenario: 'get-job',
    connections: 16,
    usPerCall: 51_000,
  },
  { adapter: 'fastapi-asyncpg', poolMax: 40, dbLatencyMs: 50, scenario: 'get-job', connections: 16, usPerCall: 50_500 },
];

const build = (cs: Cell[] = cells()): AdrMap => buildAdrMap({ scenario: 'get-job', styles, cells: cs, dbTime });
const find = (map: AdrMap, l: number, conns: number, target: string, before: string) =>
  map.cells
    .find((c) => c.dbLatencyMs === l && c.connections === conns)!
    .comparisons.find((c) => c.target.name === target && c.before.name.startsWith(before))!;

describe('the ADR map: verdicts follow from the paired intervals', () => {
  it('says async wins where the whole interval is above 1, tie within ±10%, and never judges a range', () => {
    const map = build();
    expect(map.latenciesMs).toEqual([0, 50]);
    expect(map.connections).toEqual([16, 128]);
    expect(find(map, 50, 128, 'fastapi-asyncpg', 'fastapi-psycopg2 (').verdict).toBe('async-wins');
    expect(find(map, 50, 128, 'fastapi-asyncpg', 'fastapi-psycopg2-async').verdict).toBe('async-wins');
    expect(find(map, 0, 128, 'fastapi-asyncpg', 'fastapi-psycopg2 (').verdict).toBe('tie');
    expect(find(map, 0, 128, 'fastapi-asyncpg', 'fastapi-psycopg2-async').verdict).toBe('before-wins');
    const few = find(map, 50, 16, 'fastapi-asyncpg', 'fastapi-psycopg2 (');
    expect(few.throughput.kind).toBe('range');
    expect(few.verdict).toBe('inconclusive');
  });

  it('keeps disturbed rounds out of the pairs and says so', () => {
    const cs = cells();
    const sync50 = cs.find((c) => c.adapter === 'fastapi-psycopg2' && c.dbLatencyMs === 50 && c.connections === 128)!;
    sync50.rounds[0]!.validity = { disturbed: true, foreignCpuPercent: 80, thresholdPercent: 10 } as never;
    const c = find(build(cs), 50, 128, 'fastapi-asyncpg', 'fastapi-psycopg2 (');
    expect(c.throughput.n).toBe(4);
    expect(c.disturbedRounds).toBe(1);
    expect(c.verdict).toBe('inconclusive');
    expect(c.why).toMatch(/^disturbed: 1 round left out, range/);
  });

  it('decides from the interval alone (table of synthetic ratios)', () => {
    const r = (xs: number[]) =>
      pairedLogRatio(
        xs.map(() => 1),
        xs,
      );
    expect(mapVerdict(r([1.5, 1.6, 1.55, 1.45, 1.5])).verdict).toBe('async-wins');
    expect(mapVerdict(r([0.5, 0.52, 0.48, 0.51, 0.5])).verdict).toBe('before-wins');
    expect(mapVerdict(r([1.01, 0.99, 1.02, 0.98, 1.0])).verdict).toBe('tie');
    expect(mapVerdict(r([0.7, 1.4, 0.9, 1.3, 1.0])).verdict).toBe('inconclusive');
    expect(mapVerdict(r([2, 2, 2])).verdict).toBe('inconclusive'); // 3 rounds: a range
  });

  it("puts each side's Little's-law bound beside what it served, with the bound that binds", () => {
    const c = find(build(), 50, 128, 'fastapi-asyncpg', 'fastapi-psycopg2 (');
    expect(c.bounds.before.binds).toBe('pool'); // pool 40 and threads 40 tie: the first smallest
    expect(c.bounds.before.inFlight).toBe(40);
    expect(c.bounds.before.boundReqPerS).toBeCloseTo(40 / 0.051, 0);
    const blocking = littleBound(closed('fastapi-psycopg2-async', 50, 128, [19]), 'blocking', 50);
    expect(blocking.binds).toBe('event loop');
    expect(blocking.boundReqPerS!).toBeLessThanOrEqual(1000 / 50);
    expect(littleBound(closed('fastapi-asyncpg', 50, 16, [300]), 'async', 50).binds).toBe('clients');
    // pg-sync (Node): one blocking process per connection, no thread pool.
    const pgSync = makeCell({ adapter: 'pg-sync', connections: 32, poolMax: 10, workers: 10, rounds: [makeRound()] });
    expect(littleBound(pgSync, 'sync', 1)).toMatchObject({ binds: 'processes', inFlight: 10 });
  });
});

describe('the map as grids and words', () => {
  it('draws rows of latency and columns of connections, marking intervals that cross 1', () => {
    const map = build();
    const text = mapTerminal(map);
    expect(text).toMatch(/fastapi-asyncpg vs fastapi-psycopg2 \(40 threads\) · get-job/);
    expect(text).toMatch(/DB latency\s+16 conn\s+128 conn/);
    expect(text).toMatch(/\+50 ms .*range .* \?.*async/);
    expect(mapMarkdown(map)).toMatch(/\| DB latency \| 16 conn \| 128 conn \|/);
    const html = mapHtml(map);
    expect(html).toMatch(/<table class="heat-map">/);
    expect(html).toMatch(/✱/); // the L = 0 tie crosses 1
    expect(text).not.toMatch(/95% CI.*n = 3/);
  });

  it('writes the conclusion from the map: who wins where, the anti-pattern, and the claims', () => {
    const text = writeMapConclusion(build());
    expect(text).toMatch(
      /Against the correct sync code — async wins: fastapi-asyncpg vs fastapi-psycopg2 \(40 threads\) at DB \+50 ms, 128 conn \(3\.\d\d×\); sync wins: nowhere/,
    );
    expect(text).toMatch(/tie: fastapi-asyncpg vs fastapi-psycopg2 \(40 threads\) at DB \+0 ms, 128 conn/);
    expect(text).toMatch(
      /anti-pattern .* it loses to async: fastapi-asyncpg vs fastapi-psycopg2-async at DB \+50 ms, 128 conn .*; it wins: fastapi-asyncpg vs fastapi-psycopg2-async at DB \+0 ms, 128 conn/,
    );
    // ×3 lies in the throughput claim's band ×2.5–×10 against the sync code; ×126 against the anti-pattern does not.
    expect(text).toMatch(
      /throughput \(100 → 500 req\/s, ×5\.0; .*\): holds at DB \+50 ms, 128 conn, fastapi-asyncpg vs fastapi-psycopg2 \(40 threads\)/,
    );
    expect(text).toMatch(/the "before" it needs: fastapi-psycopg2 \(40 threads\) \(sync\)/);
    expect(text).toMatch(/p99 latency at the fixed rate .*: not measured in this map/);
  });

  it('calls a claim undecided, not refuted, when no cell has an interval', () => {
    const few = cells().filter((c) => c.connections === 16); // three rounds each: ranges only
    const text = writeMapConclusion(build(few));
    expect(text).toMatch(/throughput .*: undecided — no cell has a confidence interval/);
    expect(text).not.toMatch(/holds nowhere/);
  });
});
