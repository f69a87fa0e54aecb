import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgBouncer } from '../../bench/pgbouncer/start.ts';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import type { SweepAnalysis } from '../../bench/kinds/sweep/analyze.ts';
import { runCli, type CliResult } from '../cli/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { expectMeasuredRound } from '../support/round-checks.ts';

// Generous SLO: the test checks the plumbing, not this machine's latency while other test files run.
const SHORT = ['--rounds', '1', '--warmup', '0.5', '--duration', '1', '--jobs', '500', '--slo-p99-ms', '10000'];

describe('jobbench sweep, end to end on real PostgreSQL (two pool sizes, one round)', () => {
  let db: TestDatabase;
  let out: string;
  let run: CliResult;
  let results: Results;
  let sweep: SweepAnalysis;

  beforeAll(async () => {
    db = await createTestDatabase();
    out = mkdtempSync(join(tmpdir(), 'jobbench-sweep-e2e-'));
    run = await runCli(
      [
        'sweep',
        '--adapters',
        'pg-pool',
        '--scenarios',
        'get-job',
        '--pool',
        '1,4',
        '--connections',
        '4',
        ...SHORT,
        '--out',
        out,
      ],
      { env: { DATABASE_URL: db.url } },
    );
    results = await readResults(join(out, 'results.json'));
    sweep = results.extra!.sweep as SweepAnalysis;
  }, 180_000);

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('exits 0 with a recommendation, the table and the chart', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Pool sweep · pg-pool · get-job · 4 connections · direct');
    expect(run.stdout).toMatch(/throughput \(req\/s\) +p99 \(ms\), ┆ = SLO 10000 ms/);
    expect(run.stdout).toMatch(/Recommended pool size: (1|4)/);
  });

  it('writes a valid sweep results file: one cell per pool size, every round field present', () => {
    expect(results).toMatchObject({ kind: 'sweep', status: 'complete' });
    expect(results.config).toMatchObject({
      pools: [1, 4],
      vias: ['direct'],
      criteria: { sloP99Ms: 10000, peakShare: 0.95 },
    });
    expect(results.cells.map((c) => c.poolMax).sort()).toEqual([1, 4]);
    for (const cell of results.cells) {
      expect(cell).toMatchObject({
        adapter: 'pg-pool',
        scenario: 'get-job',
        connections: 4,
        via: 'direct',
        metrics: 'on',
      });
      expect(cell.rounds).toHaveLength(1);
      expectMeasuredRound(cell.rounds[0]!, `${cell.adapter} ${cell.connections} pool ${cell.poolMax}`);
      expect(cell.rounds[0]!.requests).toBeGreaterThan(0);
      expect(cell.rounds[0]!.dbBackends).toBeGreaterThan(0);
      expect(cell.rounds[0]!.dbBackends).toBeLessThanOrEqual(cell.poolMax);
    }
  });

  it('stores the analysis: points by pool size, DB time per request, the reasoning', () => {
    expect(sweep.groups).toHaveLength(1);
    const r = sweep.groups[0]!.recommendation;
    expect(r.points.map((p) => p.poolMax)).toEqual([1, 4]);
    for (const p of r.points) expect(p.dbTimeUsPerRequest).toBeGreaterThan(0);
    expect([1, 4]).toContain(r.recommendedPoolMax);
    expect(r.little.busyConnections).toBeGreaterThan(0);
    expect(r.ruleOfThumb.poolMax).toBeGreaterThan(0); // the database runs on this machine
    expect(r.reasoning.map((s) => s.split(':')[0])).toEqual(
      expect.arrayContaining([
        'Measured',
        'Recommendation',
        "Little's law",
        'Rule of thumb (HikariCP, "About Pool Sizing")',
      ]),
    );
  });

  it('adds the recommendation section to report.md', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Pool sweep: recommendation');
    expect(report).toMatch(/\*\*Recommended pool size: (1|4)\*\*/);
  });
});

describe.skipIf(findPgBouncer() === null)(
  'jobbench sweep --via direct,pgbouncer (postgres.js, the mixed scenario, both routes in one run)',
  () => {
    let db: TestDatabase;
    let out: string;
    let run: CliResult;
    let results: Results;

    beforeAll(async () => {
      db = await createTestDatabase();
      out = mkdtempSync(join(tmpdir(), 'jobbench-sweep-pgb-e2e-'));
      run = await runCli(
        [
          'sweep',
          '--adapters',
          'postgres-js',
          '--scenarios',
          'mixed',
          '--pool',
          '2',
          '--connections',
          '4',
          '--via',
          'direct,pgbouncer',
          ...SHORT,
          '--out',
          out,
        ],
        { env: { DATABASE_URL: db.url } },
      );
      results = await readResults(join(out, 'results.json'));
    }, 180_000);

    afterAll(async () => {
      rmSync(out, { recursive: true, force: true });
      await db?.drop();
    });

    it('serves every request through PgBouncer without errors (no prepared statements, no pipelining there)', () => {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/pgbouncer [\d.]+ on 127\.0\.0\.1:\d+, transaction mode/);
      expect(results.cells.map((c) => c.via).sort()).toEqual(['direct', 'pgbouncer']);
      for (const cell of results.cells) {
        expect(cell.poolMax).toBe(2);
        expect(cell.rounds[0]!.requests).toBeGreaterThan(0);
        expect(cell.rounds[0]!.errors + cell.rounds[0]!.non2xx).toBe(0);
      }
    });

    it('records PgBouncer and its server connections, on the PgBouncer curve only', () => {
      const sweep = results.extra!.sweep as SweepAnalysis;
      expect(sweep.pgbouncer?.version).toMatch(/^\d+\.\d+/);
      const byVia = Object.fromEntries(sweep.groups.map((g) => [g.via, g.recommendation.points[0]!]));
      expect(byVia.pgbouncer!.pgbouncer?.svTotalMax).toBeGreaterThan(0);
      expect(byVia.direct!.pgbouncer).toBeUndefined();
      expect(byVia.direct!.dbTimeUsPerRequest).toBeGreaterThan(0);
      expect(byVia.pgbouncer!.dbTimeUsPerRequest).toBeGreaterThan(0);
      expect(run.stdout).toContain('postgres.js ran with prepare: false');
    });
  },
);
