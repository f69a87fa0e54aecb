import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdrAnalysis } from '../../bench/kinds/adr/analyze.ts';
import { SERIES } from '../../bench/kinds/adr/samples.ts';
import type { Results } from '../../bench/results/types.ts';
import { adapterAvailability } from '../../src/adapters/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));
const availability = await adapterAvailability('pg-sync');

/**
 * A real, tiny `jobbench adr`: the pg-sync baseline and pg-pool, the stats path over 10,000 rows (the heaviest query: each
 * one holds the sync event loop for milliseconds, so the blocking shows well above scheduling noise),
 * 3 rounds of 1 s windows, a capacity search of two levels with an SLO every level holds. Only shapes
 * and one direction are asserted, never times.
 */
describe.skipIf(!availability.available)(
  `jobbench adr, end to end${availability.available ? '' : ` (skipped: ${availability.reason})`}`,
  () => {
    const out = mkdtempSync(join(tmpdir(), 'jobbench-adr-'));
    let db: TestDatabase;
    let run: { code: number; stdout: string; stderr: string };
    let results: Results;
    let adr: AdrAnalysis;

    beforeAll(async () => {
      db = await createTestDatabase();
      const args = [
        BIN,
        'adr',
        '--scenarios',
        'stats',
        '--rounds',
        '3',
        '--warmup',
        '0.5',
        '--duration',
        '1',
        '--connections',
        '32',
        '--jobs',
        '10000',
        '--capacity-rounds',
        '1',
        '--capacity-start',
        '8',
        '--max-connections',
        '16',
        '--slo-p99-ms',
        '60000',
        '--capacity-warmup',
        '0',
        '--capacity-duration',
        '1',
        // The Node stack only, and a small pool so that pg-sync's worker processes (one per pool slot) start fast;
        // the FastAPI stack has its own end-to-end test (test/targets/adr-stack.test.ts).
        '--stack',
        'node',
        // The baseline and one async adapter: what the assertions need (every adapter would double the time).
        '--adapters',
        'pg-sync,pg-pool',
        '--pool-max',
        '4',
        '--out',
        out,
      ];
      run = await new Promise((resolve) => {
        execFile(
          process.execPath,
          args,
          { encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url }, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
          },
        );
      });
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
      adr = results.extra!.adr as AdrAnalysis;
    }, 600_000);

    afterAll(async () => {
      rmSync(out, { recursive: true, force: true });
      await db?.drop();
    });

    it('completes and writes a results file of kind "adr" with the ADR analysis', () => {
      expect(run.code, run.stderr.slice(-3000)).toBe(0);
      expect(results.status).toBe('complete');
      expect(results.kind).toBe('adr');
      expect(adr.design.adapters.map((a) => a.name)).toContain('pg-sync');
      expect(adr.design.adapters.filter((a) => a.role === 'async').length).toBeGreaterThan(0);
    });

    it('produces every row of the ADR table with numbers, for the sync baseline and each async adapter', () => {
      const claimed = Object.entries(SERIES)
        .filter(([, s]) => s.claim !== null)
        .map(([k]) => k);
      for (const { name, role } of adr.design.adapters) {
        for (const series of claimed) {
          const row = adr.table.rows.find((r) => r.adapter === name && r.series === series);
          expect(row, `${name} ${series}`).toBeDefined();
          expect(Number.isFinite(row!.measured?.median), `${name} ${series} measured`).toBe(true);
          expect(['confirmed', 'refuted', 'inconclusive']).toContain(row!.judgement.verdict);
          if (role === 'async')
            expect(Number.isFinite(row!.gain?.measured?.median), `${name} ${series} gain`).toBe(true);
        }
      }
      // 3 rounds give intervals for everything measured every round (the capacity search ran once per adapter)
      expect(adr.table.rows.filter((r) => r.series !== 'max-connections').every((r) => r.measured!.ci95 !== null)).toBe(
        true,
      );
    });

    it("shows the blocking: the sync baseline's event loop stalls longer under concurrent load than any async adapter's", () => {
      const delay = (name: string) =>
        adr.table.evidence.find((e) => e.adapter === name && e.path === 'stats')!.eventLoopMaxDelayMs!.median;
      for (const { name } of adr.design.adapters.filter((a) => a.role === 'async')) {
        expect(delay('pg-sync'), `pg-sync vs ${name}`).toBeGreaterThan(delay(name));
      }
    });

    it('appends the ADR section to report.md and prints the table and conclusion', () => {
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      expect(report).toMatch(/## ADR-003 checked( on the node stack)?: estimated vs measured/); // named by stack once there are stacks
      expect(report).toContain('**Conclusion.**');
      expect(report).toContain('### Limits of this test');
      expect(run.stdout).toContain('ADR-003 checked');
      expect(run.stdout).toContain('Conclusion: ');
    });
  },
);
