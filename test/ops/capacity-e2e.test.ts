import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityAnalysis } from '../../bench/kinds/capacity/analyze.ts';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { runCli, type CliResult } from '../cli/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { expectMeasuredRound } from '../support/round-checks.ts';

describe('jobbench capacity, end to end on real PostgreSQL (two adapters interleaved, two levels each)', () => {
  let db: TestDatabase;
  let out: string;
  let run: CliResult;
  let results: Results;
  let capacity: CapacityAnalysis;

  beforeAll(async () => {
    db = await createTestDatabase();
    out = mkdtempSync(join(tmpdir(), 'jobbench-capacity-e2e-'));
    // start 2, max 4: the search measures 2, doubles to 4, and stops there (a generous SLO, so both hold).
    run = await runCli(
      [
        'capacity',
        '--adapters',
        'pg-pool,postgres-js',
        '--scenario',
        'get-job',
        '--start',
        '2',
        '--max-connections',
        '4',
        '--pool-max',
        '3',
        '--rounds',
        '1',
        '--warmup',
        '0.5',
        '--duration',
        '1',
        '--jobs',
        '500',
        '--slo-p99-ms',
        '10000',
        '--out',
        out,
      ],
      { env: { DATABASE_URL: db.url } },
    );
    results = await readResults(join(out, 'results.json'));
    capacity = results.extra!.capacity as CapacityAnalysis;
  }, 180_000);

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('exits 0 and prints the curve and the answer', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Capacity · pg-pool · get-job · pool 3 · direct');
    expect(run.stdout).toContain('pg-pool: held 4 concurrent connections');
    expect(run.stdout).toContain('postgres-js: held 4 concurrent connections');
  });

  it('interleaves the searches: turn by turn, the order rotated', () => {
    const measured = [
      ...run.stderr.matchAll(/\[capacity · turn (\d+) · ([\w-]+) · (\d+) connections\] \d+ req\/s/g),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(measured).toEqual(['1 pg-pool 2', '1 postgres-js 2', '2 postgres-js 4', '2 pg-pool 4']);
  });

  it('writes a valid capacity results file: one cell per level, every round field present', () => {
    expect(results).toMatchObject({ kind: 'capacity', status: 'complete' });
    expect(results.cells.map((c) => `${c.adapter} ${c.connections}`)).toEqual([
      'pg-pool 2',
      'pg-pool 4',
      'postgres-js 2',
      'postgres-js 4',
    ]);
    for (const cell of results.cells) {
      expect(cell).toMatchObject({ scenario: 'get-job', poolMax: 3, via: 'direct' });
      expectMeasuredRound(cell.rounds[0]!, `${cell.adapter} ${cell.connections} pool ${cell.poolMax}`);
    }
  });

  it('stores the search: levels with throughput, latency, errors and DB backends, the answer and why', () => {
    expect(capacity.searches.map((s) => s.adapter)).toEqual(['pg-pool', 'postgres-js']);
    for (const search of capacity.searches) {
      expect(search).toMatchObject({ heldConnections: 4, firstFailingConnections: null, stoppedBy: 'max-connections' });
      expect(search.curve.map((l) => l.connections)).toEqual([2, 4]);
    }
    for (const level of capacity.searches.flatMap((s) => s.curve)) {
      expect(level.held).toBe(true);
      expect(level.requestsPerSec).toBeGreaterThan(0);
      expect(level.p50Ms).toBeLessThanOrEqual(level.p99Ms);
      expect(level.dbBackends).toBeGreaterThan(0);
      expect(level.dbBackends).toBeLessThanOrEqual(3); // the pool, however many clients
      expect(level.errorRate).toBe(0);
    }
    expect(capacity.fd?.note).toMatch(/open-file limit/);
  });

  it('adds the capacity section to report.md', () => {
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '## Capacity: concurrent connections one instance holds',
    );
  });
});
