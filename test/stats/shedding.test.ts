/**
 * Load shedding's split of a window's latency: the admitted responses (every status but 503) in their
 * own histogram, merged over rounds like the main one, and the share turned away; the report's columns.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateResults } from '../../bench/results/io.ts';
import type { Cell, Results, Round } from '../../bench/results/types.ts';
import { isAdmittedStatus } from '../../bench/runners/types.ts';
import { createLatencyHistogram, encodeHistogram, recordLatencyUs } from '../../bench/stats/histogram.ts';
import { summarizeCell } from '../../bench/stats/summarize.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { latencyOf, makeRound } from '../support/results.ts';

/** A round of `ok` 200s at `okUs` and `shed` 503s at `shedUs`, recorded as the runners record them. */
function round(n: number, ok: number, okUs: number, shed: number, shedUs: number, admitted = true): Round {
  const all = createLatencyHistogram();
  const admittedH = createLatencyHistogram();
  const answers: Array<[number, number, number]> = [
    [200, ok, okUs],
    [503, shed, shedUs],
  ];
  for (const [status, count, us] of answers) {
    if (count === 0) continue;
    recordLatencyUs(all, us, count);
    if (isAdmittedStatus(status)) recordLatencyUs(admittedH, us, count);
  }
  return makeRound({
    round: n,
    requests: ok + shed,
    requestsPerSec: ok + shed,
    non2xx: shed,
    statusCodes: shed > 0 ? { '200': ok, '503': shed } : { '200': ok },
    ...latencyOf(all),
    ...(admitted && shed > 0 ? { admittedHistogram: encodeHistogram(admittedH) } : {}),
  });
}

describe('the admitted-latency split', () => {
  it('counts 503 as shed and every other status as admitted (404 did its work)', () => {
    expect([200, 201, 404, 400, 500, 503].map(isAdmittedStatus)).toEqual([true, true, true, true, true, false]);
  });

  it('gives the percentiles of the admitted responses alone, merged over rounds, and the share shed', () => {
    // Shed answers are fast (50 µs), admitted ones slow (20 ms): mixed, the p50 is the shed one.
    const rounds = [round(1, 300, 20_000, 700, 50), round(2, 200, 30_000, 800, 50), round(3, 1000, 20_000, 0, 0)];
    const s = summarizeCell(rounds);
    expect(s.shedShare).toBeCloseTo(1500 / 3000);
    expect(s.latencyUs.p50.median).toBeLessThan(100);
    expect(s.admittedLatencyUs!.p50).toBeGreaterThan(19_000); // the round with no 503 counts whole
    expect(s.admittedLatencyUs!.p99).toBeGreaterThan(29_000);
    expect(s.admittedLatencyUs!.max).toBeLessThan(31_000);
  });

  it('adds nothing when no 503 came (files before the split read the same)', () => {
    const s = summarizeCell([round(1, 100, 1_000, 0, 0)]);
    expect(s.shedShare).toBeUndefined();
    expect(s.admittedLatencyUs).toBeUndefined();
  });

  it('has a share but no admitted percentiles when a round with 503s could not split (wrk)', () => {
    const s = summarizeCell([round(1, 300, 20_000, 700, 50, false), round(2, 300, 20_000, 0, 0)]);
    expect(s.shedShare).toBeCloseTo(700 / 1300);
    expect(s.admittedLatencyUs).toBeUndefined();
  });
});

describe('the report with shed answers', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8'),
  ) as Results;
  const cellOf = (c: Cell, rounds: Round[]): Cell => ({ ...c, rounds, summary: summarizeCell(rounds) });

  it('shows admitted p50/p99 and shed % only for tables where some answer was shed; the file stays valid', () => {
    const results: Results = structuredClone(fixture);
    const getJob = results.cells.filter((c) => c.scenario === 'get-job');
    results.cells[results.cells.indexOf(getJob[0]!)] = cellOf(getJob[0]!, [
      round(1, 300, 20_000, 700, 50),
      round(2, 300, 22_000, 700, 50),
    ]);
    expect(validateResults(JSON.parse(JSON.stringify(results)))).toEqual([]);
    const md = renderMarkdown(results);
    const getJobTable = md.slice(md.indexOf('### get-job'));
    const healthTable = md.slice(md.indexOf('### health'), md.indexOf('### get-job'));
    expect(getJobTable).toMatch(/\| admitted p50 \(all rounds\) \| admitted p99 \| shed % \|/);
    expect(getJobTable).toMatch(/\| 70\.00% \|/);
    expect(healthTable).not.toMatch(/admitted/);
    expect(renderTerminal(results)).toMatch(/admitted p99[\s\S]*shed %[\s\S]*70\.00%/);
  });
});
