import { describe, expect, it } from 'vitest';
import { summarizeCell } from '../../bench/stats/summarize.ts';
import { createLatencyHistogram, recordLatencyUs } from '../../bench/stats/histogram.ts';
import type { Round } from '../../bench/results/types.ts';
import { latencyOf, makeRound } from '../support/results.ts';

function round(n: number, requestsPerSec: number, latencies: number[], serverCpuUsPerRequest: number): Round {
  const h = createLatencyHistogram();
  for (const v of latencies) recordLatencyUs(h, v);
  return makeRound({ round: n, requests: requestsPerSec, requestsPerSec, ...latencyOf(h), serverCpuUsPerRequest });
}

describe('summarizeCell', () => {
  const rounds = [
    round(1, 1000, [100, 200, 300], 50),
    round(2, 1200, [110, 210, 310], 40),
    round(3, 1100, [120, 220, 320], 45),
  ];

  it('takes medians over rounds of each headline number', () => {
    const s = summarizeCell(rounds);
    expect(s.rounds).toBe(3);
    expect(s.requestsPerSec.median).toBe(1100);
    expect(s.latencyUs.p50.median).toBe(210);
    expect(s.latencyUs.p99.median).toBe(310);
    expect(s.serverCpuUsPerRequest!.median).toBe(45);
    expect(s.requestsPerSec.ci95).not.toBeNull();
  });

  it('adds the percentiles of every response, rounds merged', () => {
    expect(summarizeCell(rounds).mergedLatencyUs).toMatchObject({ p50: 210, max: 320 });
  });

  it('says there is no interval with 2 rounds', () => {
    const s = summarizeCell(rounds.slice(0, 2));
    expect(s.requestsPerSec).toEqual({ median: 1100, ci95: null });
  });

  it('leaves out merged percentiles when no round has a histogram', () => {
    expect(summarizeCell(rounds.map((r) => ({ ...r, histogram: '' }))).mergedLatencyUs).toBeUndefined();
  });

  it('refuses a cell without rounds', () => {
    expect(() => summarizeCell([])).toThrow(RangeError);
  });
});
