import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { decodeHistogram } from '../../bench/stats/histogram.ts';
import { startJobbench } from '../faults/run-support.ts';

/**
 * A short real run against servers that shed at a tiny threshold (1 ms of event-loop delay; pg-sync, 2
 * processes, blocks the loop on every query): the admitted responses get their own histogram and the
 * report its columns.
 */
describe('jobbench run against a shedding server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-shed-run-'));
  let results: Results;
  let run: Awaited<ReturnType<typeof startJobbench>['exited']>;

  beforeAll(async () => {
    const args = ['run', '--db', 'embedded', '--adapters', 'pg-sync', '--scenarios', 'get-job', '--duration', '3'];
    args.push(
      '--shed',
      'on,off',
      '--warmup',
      '1',
      '--rounds',
      '1',
      '--connections',
      '32',
      '--jobs',
      '300',
      '--no-ceilings',
      '--pool-max',
      '2',
      '--out',
      dir,
    );
    const env = { DATABASE_URL: undefined, JOBBENCH_SHED_MAX_DELAY_MS: '1' };
    run = await startJobbench(args, env).exited;
    results = await readResults(join(dir, 'results.json'));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures each adapter with shedding on and off, interleaved, as two cells', () => {
    expect(run.code, run.stderr).toBe(0);
    // pg-sync's cells also name their processes
    expect(results.cells.map((c) => c.label).sort()).toEqual(['shed off · 2 processes', 'shed on · 2 processes']);
    expect(results.config['shed']).toEqual(['on', 'off']);
    const off = results.cells.find((c) => c.label?.startsWith('shed off'))!;
    expect(off.rounds[0]!.statusCodes['503'] ?? 0).toBe(0); // JOBBENCH_SHED=off reached the server
    expect(off.summary.shedShare).toBeUndefined();
  });

  it('records the admitted responses (all but the 503s) apart, and the share shed', () => {
    const cell = results.cells.find((c) => c.label?.startsWith('shed on'))!;
    const r = cell.rounds[0]!;
    const shed = r.statusCodes['503'] ?? 0;
    expect(shed).toBeGreaterThan(0);
    expect(decodeHistogram(r.admittedHistogram!).totalCount).toBe(r.requests - shed);
    expect(decodeHistogram(r.histogram).totalCount).toBe(r.requests);
    expect(cell.summary.shedShare).toBeCloseTo(shed / r.requests);
    expect(cell.summary.admittedLatencyUs).toBeDefined();
  });

  it('shows admitted p50/p99 and shed % in the terminal and report.md, one row each way', () => {
    // Within 120 columns the admitted columns go to each row's detail line (wrapped); --wide keeps them in the table.
    expect(run.stdout).toMatch(
      /pg-sync \(shed off · 2 processes\) · [\s\S]*?admitted p50 \(all rounds\): [\s\S]*?admitted p99: [\s\S]*?shed %:\s+0\.00%/,
    );
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(
      /\| admitted p50 \(all rounds\) \| admitted p99 \| shed % \|/,
    );
  });
});
