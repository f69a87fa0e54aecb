/** fractionOfCeiling (pure) and the results schema's optional `ceilings`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dbCeilingCells, fractionOfCeiling } from '../../bench/ceilings/fraction.ts';
import { ceilingText } from '../../bench/report/cell-extras.ts';
import type { Ceilings } from '../../bench/results/ceilings.ts';
import { validateResults } from '../../bench/results/io.ts';
import { pgbenchScript, parsePgbenchOutput } from '../../bench/ceilings/pgbench.ts';
import { makeCell, makeRound } from '../support/results.ts';

const ceilings: Ceilings = {
  measuredAt: '2026-12-01T00:00:00.000Z',
  http: {
    tool: 'wrk',
    connections: 32,
    durationS: 3,
    requests: 60_000,
    requestsPerSec: 20_000,
    latencyP50Us: 1_500,
    latencyP99Us: 4_000,
    generatorCpuPercent: 40,
  },
  db: {
    method: 'pgbench',
    protocol: 'prepared',
    clients: 32,
    durationS: 3,
    transactions: 30_000,
    transactionsPerSec: 10_000,
    latencyAvgUs: 3_200,
  },
  fingerprint: { loopbackRoundTripUs: 40, syscallNs: 900, syscallProbe: 'dd', singleCoreOpsPerSec: 2e7 },
  notes: [],
};

/** A file with one DB ceiling per (scenario, connections), as `jobbench run` now writes it. */
const perScenario: Ceilings = {
  ...ceilings,
  dbByScenario: [
    { ...ceilings.db!, scenario: 'get-job' },
    { ...ceilings.db!, scenario: 'mixed', method: 'driver-loop', transactionsPerSec: 1_000 },
    { ...ceilings.db!, scenario: 'mixed', method: 'driver-loop', clients: 64, transactionsPerSec: 4_000 },
  ],
};

const cell = (scenario: string, rps: number, tool: 'wrk' | 'autocannon' = 'wrk', connections = 32) =>
  makeCell({ scenario, tool, connections, rounds: [makeRound({ requestsPerSec: rps })] });

describe('fractionOfCeiling', () => {
  it.each([
    { scenario: 'health', rps: 14_000, http: 0.7, db: null },
    { scenario: 'get-job', rps: 2_100, http: 0.105, db: 0.21 },
    { scenario: 'mixed', rps: 500, http: 0.025, db: null }, // a file without per-scenario ceilings: get-job's only
    { scenario: 'not-in-catalog', rps: 500, http: 0.025, db: null },
  ])('$scenario at $rps req/s: $http of the HTTP ceiling, $db of the DB ceiling', ({ scenario, rps, http, db }) => {
    const f = fractionOfCeiling(cell(scenario, rps), ceilings);
    expect(f.http).toBeCloseTo(http, 10);
    if (db === null) expect(f.db).toBeNull();
    else expect(f.db).toBeCloseTo(db, 10);
    expect(f.sameLoad).toBe(scenario !== 'mixed');
  });

  it("reads a database cell against PostgreSQL running its own scenario's statements at its connections", () => {
    expect(fractionOfCeiling(cell('mixed', 500), perScenario)).toMatchObject({
      db: 0.5,
      dbClients: 32,
      sameLoad: true,
    });
    expect(fractionOfCeiling(cell('mixed', 500, 'wrk', 64), perScenario)).toMatchObject({ db: 0.125, dbClients: 64 });
    expect(fractionOfCeiling(cell('get-job', 2_100), perScenario).db).toBeCloseTo(0.21, 10);
    const search = fractionOfCeiling(cell('search', 500), perScenario);
    expect(search).toMatchObject({ db: null, dbNote: 'not measured for search at 32 connections', sameLoad: false });
    expect(fractionOfCeiling(cell('health', 500), perScenario).dbNote).toBeUndefined();
  });

  it('marks a DB fraction "at most" when the driver loop, not PostgreSQL, may have been the bottleneck', () => {
    const clientBound: Ceilings = {
      ...perScenario,
      dbByScenario: [{ ...perScenario.dbByScenario![1]!, clientCpuPercent: 97, boundBy: 'client' }],
    };
    expect(fractionOfCeiling(cell('mixed', 500), clientBound)).toMatchObject({ db: 0.5, dbAtMost: true });
    expect(fractionOfCeiling(cell('mixed', 500), perScenario).dbAtMost).toBeUndefined();
    expect(ceilingText(fractionOfCeiling(cell('mixed', 500), clientBound))).toBe(
      '≤ 50% of PostgreSQL alone (same queries, 32 clients), 2.5% of HTTP',
    );
  });

  it("reads a cell against PostgreSQL alone at its database concurrency, min(connections, the API's DB connections)", () => {
    const atPool: Ceilings = {
      ...ceilings,
      dbClientsOf: 'pool',
      dbByScenario: [
        { ...ceilings.db!, scenario: 'search', method: 'driver-loop', clients: 10, transactionsPerSec: 1_250 },
        { ...ceilings.db!, scenario: 'search', method: 'driver-loop', clients: 32, transactionsPerSec: 980 },
      ],
    };
    const search = (connections: number, fields: { poolMax?: number; dbConnections?: number }) =>
      fractionOfCeiling({ ...cell('search', 1_000, 'wrk', connections), ...fields }, atPool);
    expect(search(32, { poolMax: 10 })).toMatchObject({ db: 0.8, dbClients: 10 }); // the pool bounds it
    expect(search(32, { poolMax: 40 })).toMatchObject({ db: 1_000 / 980, dbClients: 32 }); // the connections do
    expect(search(64, { poolMax: 10, dbConnections: 32 })).toMatchObject({ dbClients: 32 }); // pg-sync: 32 processes
    expect(search(4, { poolMax: 10 })).toMatchObject({
      db: null,
      dbNote: 'not measured for search at 4 database clients',
    });
    // the same file read as an older one (at the HTTP connections): 32 connections meet the 32-client ceiling
    const { dbClientsOf: _pool, ...older } = atPool;
    expect(fractionOfCeiling({ ...cell('search', 1_000), poolMax: 10 }, older)).toMatchObject({ dbClients: 32 });
  });

  it('says when a cell served more than the DB ceiling measured: that ceiling is a floor', () => {
    const f = fractionOfCeiling(cell('mixed', 1_620), perScenario);
    expect(f).toMatchObject({ db: 1.62, dbAbove: true });
    expect(ceilingText(f)).toBe(
      '162% of PostgreSQL alone (same queries, 32 clients): above it, so that ceiling is a floor, 8.1% of HTTP',
    );
    expect(fractionOfCeiling(cell('mixed', 999), perScenario).dbAbove).toBeUndefined();
  });

  it('measures each database scenario once per database concurrency its cells reach', () => {
    const loads = [
      { scenario: 'search', connections: 32 },
      { scenario: 'health', connections: 32 },
      { scenario: 'get-job', connections: 4 },
    ] as const;
    expect(dbCeilingCells(loads, [10, 10, 40])).toEqual([
      { scenario: 'search', connections: 10 },
      { scenario: 'search', connections: 32 },
      { scenario: 'get-job', connections: 4 },
    ]);
    expect(dbCeilingCells(loads, [])).toEqual([
      { scenario: 'search', connections: 32 },
      { scenario: 'get-job', connections: 4 },
    ]);
  });

  it('shows no DB fraction for a cell behind a latency proxy', () => {
    const f = fractionOfCeiling({ ...cell('mixed', 500), dbLatencyMs: 5 }, perScenario);
    expect(f).toMatchObject({ db: null, dbNote: 'n/a: behind a latency proxy', sameLoad: true });
  });

  it('says when the ceilings were measured at another concurrency', () => {
    expect(fractionOfCeiling(cell('get-job', 1, 'autocannon'), ceilings).sameLoad).toBe(true);
    expect(fractionOfCeiling(cell('get-job', 1, 'wrk', 64), ceilings).sameLoad).toBe(false);
  });

  it('gives null for a missing ceiling', () => {
    expect(fractionOfCeiling(cell('get-job', 1), { http: null, db: null })).toEqual({
      http: null,
      db: null,
      dbNote: 'not measured for get-job at 32 connections',
      sameLoad: false,
    });
  });
});

describe('ceilings in the results file', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8'));

  it('validates with and without ceilings, and rejects a ceiling without its units', () => {
    expect(validateResults(fixture)).toEqual([]);
    expect(validateResults({ ...fixture, ceilings })).toEqual([]);
    const { requestsPerSec: _gone, ...httpWithout } = ceilings.http!;
    expect(validateResults({ ...fixture, ceilings: { ...ceilings, http: httpWithout } })).not.toEqual([]);
  });
});

describe('pgbench script and output', () => {
  it("is get-job's query on a random seeded id", () => {
    expect(pgbenchScript()).toMatch(
      /^\\set id random\(1, :jobs\)\nSELECT id::text AS id, .* FROM jobs WHERE id = :id::bigint;\n$/,
    );
  });

  it("is stats' statement as it is, and nothing for scenarios whose parameters \\set cannot make", () => {
    expect(pgbenchScript('stats')).toMatch(
      /^WITH totals AS \(.* SELECT \* FROM totals, by_contract, top_locations;\n$/,
    );
    expect(pgbenchScript('search')).toBeUndefined();
    expect(pgbenchScript('mixed')).toBeUndefined();
    expect(pgbenchScript('create')).toBeUndefined();
  });

  it('reads transactions, tps and average latency from pgbench 15', () => {
    const out = [
      'number of transactions actually processed: 12645',
      'latency average = 0.616 ms',
      'tps = 6495.584595 (without initial connection time)',
    ].join('\n');
    expect(parsePgbenchOutput(out, 4, 2)).toEqual({
      scenario: 'get-job',
      method: 'pgbench',
      protocol: 'prepared',
      script: pgbenchScript(),
      calls: { 'get-job': 12645 },
      distinctStatements: 1,
      clients: 4,
      durationS: 2,
      transactions: 12645,
      transactionsPerSec: 6495.584595,
      latencyAvgUs: 616,
    });
  });
});
