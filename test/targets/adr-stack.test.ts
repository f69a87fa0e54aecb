import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdrAnalysis } from '../../bench/kinds/adr/analyze.ts';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { FASTAPI_TARGETS } from '../../bench/targets/fastapi-targets.ts';
import { findPython, pythonSettings } from '../../bench/targets/python.ts';
import { adapterAvailability } from '../../src/adapters/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobbench, type CliRun } from './cli.ts';

// adr --stack both with tiny settings: both stacks in one interleaved run, each judged against its own baseline.
const modules = [
  ...new Set([...FASTAPI_TARGETS['fastapi-psycopg2'].modules, ...FASTAPI_TARGETS['fastapi-asyncpg'].modules]),
];
const python = await findPython({ modules, label: 'fastapi', ...pythonSettings() });
const pgSync = await adapterAvailability('pg-sync');
const skip = !python.ok ? python.reason : !pgSync.available ? pgSync.reason : null;

describe.skipIf(skip !== null)(`adr --stack both${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let db: TestDatabase;
  let out: string;
  let run: CliRun;
  let results: Results;
  let adr: AdrAnalysis;

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 200 });
    out = mkdtempSync(join(tmpdir(), 'jobbench-adr-stack-'));
    run = await jobbench(
      [
        'adr',
        '--stack',
        'both',
        '--adapters',
        'pg-sync,pg-pool,fastapi-psycopg2,fastapi-asyncpg',
        '--scenarios',
        'stats',
        '--rounds',
        '1',
        '--duration',
        '1',
        '--warmup',
        '0',
        '--connections',
        '4',
        '--pool-max',
        '4',
        '--jobs',
        '200',
        '--latency-tool',
        'autocannon',
        '--light-connections',
        '4', // the same load as phase 1: reused, no second phase
        '--no-capacity',
        '--out',
        out,
        '-q',
      ],
      db.url,
    );
    if (run.code !== 0) throw new Error(`jobbench adr exited with ${run.code}: ${run.stderr.slice(-2000)}`);
    results = await readResults(join(out, 'results.json'));
    adr = results.extra!.adr as AdrAnalysis;
  }, 400_000);

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('measures both stacks in one run, each against its own sync baseline', () => {
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(adr.design.stacks!.map((s) => [s.stack, s.baseline])).toEqual([
      ['node', 'pg-sync'],
      ['fastapi', 'fastapi-psycopg2'],
    ]);
    expect(adr.stacks!.map((s) => s.stack)).toEqual(['node', 'fastapi']);
    const fastapi = adr.stacks!.find((s) => s.stack === 'fastapi')!;
    expect(fastapi.table.baseline).toBe('fastapi-psycopg2');
    const gain = fastapi.table.rows.find((r) => r.adapter === 'fastapi-asyncpg' && r.series === 'throughput')!;
    expect(gain.gain!.measured!.median).toBeGreaterThan(0);
    expect(fastapi.table.rows.some((r) => r.adapter === 'pg-pool')).toBe(false);
  });

  it('states the resources per side: pool size, backends, processes and threads', () => {
    const fastapi = adr.stacks!.find((s) => s.stack === 'fastapi')!;
    for (const r of fastapi.resources) {
      expect(r.poolMax).toBe(4);
      expect(r.dbBackendsMax).toBeGreaterThanOrEqual(1);
      expect(r.dbBackendsMax).toBeLessThanOrEqual(4);
      expect(r.processesMax).toBeGreaterThanOrEqual(1);
    }
    const psycopg2 = fastapi.resources.find((r) => r.adapter === 'fastapi-psycopg2')!;
    expect(psycopg2.threadsMax).toBeGreaterThan(1); // Starlette's thread pool
  });

  it('writes one ADR section per stack in report.md', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## ADR-003 checked on the node stack');
    expect(md).toContain('## ADR-003 checked on the fastapi stack');
    expect(md.match(/### Resources per side/g)).toHaveLength(2);
    expect(results.environment.drivers['python:psycopg2']).toMatch(/^\d/);
  });
});
