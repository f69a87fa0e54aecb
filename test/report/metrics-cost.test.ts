import { describe, expect, it } from 'vitest';
import { analyzeMetricsCost } from '../../bench/kinds/run/analyze.ts';
import { renderMetricsCostMarkdown, renderMetricsCostTerminal } from '../../bench/kinds/run/render.ts';
import type { Cell, Round } from '../../bench/results/types.ts';
import { makeCell, makeRound } from '../support/results.ts';

const round = (n: number, cpu: number): Round => makeRound({ round: n, serverCpuUsPerRequest: cpu });

function cell(adapter: string, metrics: 'on' | 'off', cpus: number[], scenario = 'get-job'): Cell {
  return makeCell({
    adapter,
    scenario,
    connections: 8,
    rounds: cpus.map((c, i) => round(i + 1, c)),
    metrics,
    via: 'direct',
  });
}

describe('analyzeMetricsCost', () => {
  it('pairs on and off by round: a constant per-round cost survives drift that hits both alike', () => {
    // Drift: each round is slower than the last, for both modes; metrics add exactly 5 µs every round.
    const rows = analyzeMetricsCost([cell('pg-pool', 'on', [105, 125, 145]), cell('pg-pool', 'off', [100, 120, 140])]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.deltaUs).toEqual({ median: 5, ci95: [5, 5] });
    expect(rows[0]!.cpuOffUs.median).toBe(120);
    expect(rows[0]!.deltaPercent).toBeCloseTo((5 / 120) * 100);
  });

  it.each([
    ['no off cell', [cell('a', 'on', [1, 2, 3])]],
    ['different scenarios', [cell('a', 'on', [1, 2, 3], 'health'), cell('a', 'off', [1, 2, 3], 'get-job')]],
    ['different adapters', [cell('a', 'on', [1, 2, 3]), cell('b', 'off', [1, 2, 3])]],
  ])('finds nothing to pair with %s', (_what, cells) => {
    expect(analyzeMetricsCost(cells)).toEqual([]);
  });

  it('has no interval below 3 rounds, and says so in both renderings', () => {
    const rows = analyzeMetricsCost([cell('a', 'on', [12, 14]), cell('a', 'off', [10, 10])]);
    expect(rows[0]!.deltaUs.ci95).toBeNull();
    expect(renderMetricsCostTerminal(rows)).toMatch(/n<3, no CI/);
    expect(renderMetricsCostMarkdown(rows)).toMatch(/^## What metrics cost/);
    expect(renderMetricsCostMarkdown(rows)).toMatch(/\| get-job \| a \|/);
  });
});
