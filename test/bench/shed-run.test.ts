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
    const env = { DATABASE_URL: undefined, JOBBENCH_SHED: 'on', JOBBENCH_SHED_MAX_DELAY_MS: '1' };
    run = await startJobbench(args, env).exited;
    results = await readResults(join(dir, 'results.json'));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the admitted responses (all but the 503s) apart, and the share shed', () => {
    expect(run.code, run.stderr).toBe(0);
    const cell = results.cells[0]!;
    const r = cell.rounds[0]!;
    const shed = r.statusCodes['503'] ?? 0;
    expect(shed).toBeGreaterThan(0);
    expect(decodeHistogram(r.admittedHistogram!).totalCount).toBe(r.requests - shed);
    expect(decodeHistogram(r.histogram).totalCount).toBe(r.requests);
    expect(cell.summary.shedShare).toBeCloseTo(shed / r.requests);
    expect(cell.summary.admittedLatencyUs).toBeDefined();
  });

  it('shows admitted p50/p99 and shed % in the terminal and report.md', () => {
    expect(run.stdout).toMatch(/admitted p50 \(all rounds\)\s+admitted p99\s+shed %/);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(
      /\| admitted p50 \(all rounds\) \| admitted p99 \| shed % \|/,
    );
  });
});
