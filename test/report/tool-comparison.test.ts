/** --tool autocannon,wrk: the report's side-by-side section, each cell against its own tool's ceiling. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fractionOfCeiling } from '../../bench/ceilings/fraction.ts';
import type { HttpCeiling } from '../../bench/results/ceilings.ts';
import { validateResults } from '../../bench/results/io.ts';
import type { Cell, Results, Round } from '../../bench/results/types.ts';
import { matchCells } from '../../bench/compare/identity.ts';
import { renderHtml } from '../../bench/report/html.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { buildToolComparison, renderToolComparisonMarkdown } from '../../bench/report/tool-comparison.ts';
import { summarizeCell } from '../../bench/stats/summarize.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8')) as Results;

const httpCeiling = (tool: HttpCeiling['tool'], requestsPerSec: number): HttpCeiling => ({
  tool,
  connections: 10,
  durationS: 3,
  requests: requestsPerSec * 3,
  requestsPerSec,
  latencyP50Us: 300,
  latencyP99Us: 900,
  generatorCpuPercent: 50,
});

/** The fixture's autocannon cells, plus the same cells measured by wrk at `factor` × the req/s, same rounds. */
function twoToolResults(factor: number): Results {
  const withCpu = (r: Round, usPerRequest: number): Round => ({
    ...r,
    cpu: {
      cores: 2,
      generatorThreads: 1,
      generatorPercent: 50,
      generatorUsPerRequest: usPerRequest,
      serverPercent: 80,
      dbPercent: null,
      machinePercent: 150,
      oursPercent: 130,
      generatorBound: false,
      machineSaturated: false,
    },
  });
  const autocannon = fixture.cells.map((c) => ({ ...c, rounds: c.rounds.map((r) => withCpu(r, 80)) }));
  const wrk: Cell[] = autocannon.map((c) => {
    const rounds = c.rounds.map((r) => ({
      ...withCpu(r, 30),
      requestsPerSec: r.requestsPerSec * factor,
      requests: Math.round(r.requests * factor),
    }));
    return { ...c, tool: 'wrk', rounds, summary: summarizeCell(rounds) };
  });
  const http = [httpCeiling('autocannon', 20_000), httpCeiling('wrk', 40_000)];
  return {
    ...fixture,
    cells: [...autocannon, ...wrk],
    ceilings: {
      measuredAt: fixture.startedAt,
      http: http[0]!,
      httpByTool: http,
      db: null,
      fingerprint: { loopbackRoundTripUs: 40, syscallNs: 900, syscallProbe: 'dd', singleCoreOpsPerSec: 2e7 },
      notes: [],
    },
    failedWindows: [
      { adapter: 'pg-pool', scenario: 'health', connections: 10, poolMax: 10, round: 2, reason: 'x', tool: 'wrk' },
    ],
  };
}

describe('a run with two load tools', () => {
  const results = twoToolResults(1.5);

  it('is a valid results file (httpByTool, a failed window with its tool); a single-tool file still is', () => {
    expect(validateResults(results)).toEqual([]);
    expect(validateResults(fixture)).toEqual([]);
  });

  it('reads each cell against its own tool’s HTTP ceiling', () => {
    const [ac, wrk] = [results.cells[0]!, results.cells[fixture.cells.length]!];
    expect(fractionOfCeiling(ac, results.ceilings!).http).toBeCloseTo(ac.summary.requestsPerSec.median / 20_000, 10);
    expect(fractionOfCeiling(wrk, results.ceilings!).http).toBeCloseTo(wrk.summary.requestsPerSec.median / 40_000, 10);
    expect(fractionOfCeiling(wrk, results.ceilings!).sameLoad).toBe(true);
  });

  it('reads every cell against the ceiling the bare server bounded, when the file says which did', () => {
    const [ac, wrk] = [results.cells[0]!, results.cells[fixture.cells.length]!];
    const [acCeiling, wrkCeiling] = results.ceilings!.httpByTool!;
    const judged = {
      ...results.ceilings!,
      httpByTool: [
        { ...acCeiling!, boundBy: 'generator' as const },
        { ...wrkCeiling!, boundBy: 'server' as const },
      ],
    };
    expect(fractionOfCeiling(ac, judged).http).toBeCloseTo(ac.summary.requestsPerSec.median / 40_000, 10);
    expect(fractionOfCeiling(ac, judged).httpAtMost).toBeUndefined();
    expect(fractionOfCeiling(wrk, judged).http).toBeCloseTo(wrk.summary.requestsPerSec.median / 40_000, 10);
  });

  it('pairs the same cells across tools, with the per-round ratio of req/s', () => {
    const comparison = buildToolComparison(results)!;
    expect(comparison.tools).toEqual(['autocannon', 'wrk']);
    expect(comparison.rows).toHaveLength(fixture.cells.length);
    for (const row of comparison.rows) {
      expect(row.byTool.map((t) => t?.generatorUsPerRequest)).toEqual([80, 30]);
      expect(row.ratios[0]!.median).toBeCloseTo(1.5, 10);
    }
    const md = renderToolComparisonMarkdown(comparison);
    expect(md).toContain('| scenario | adapter | connections | autocannon req/s | autocannon generator CPU |');
    expect(md).toContain('wrk ÷ autocannon req/s');
    expect(renderMarkdown(results)).toContain('## Load tools on the same cells');
    expect(renderMarkdown(results)).toContain('HTTP ceiling (wrk)');
    expect(renderTerminal(results)).toContain('Load tools on the same cells');
  });

  it('keeps one table per tool, and jobbench compare pairs cells with the same tool only', () => {
    expect(renderHtml(results)).toContain('<section id="tools">');
    const md = renderMarkdown(results);
    expect(md).toContain('### health · autocannon · 10 connections');
    expect(md).toContain('### health · wrk · 10 connections');
    const wrkOnly = results.cells.filter((c) => c.tool === 'wrk');
    const match = matchCells(results.cells, wrkOnly);
    expect(match.pairs.map((p) => [p.base.tool, p.head.tool])).toEqual(wrkOnly.map(() => ['wrk', 'wrk']));
    expect(match.onlyBase.map((id) => id.tool)).toEqual(fixture.cells.map(() => 'autocannon'));
  });

  it('adds nothing to a single-tool report', () => {
    expect(buildToolComparison(fixture)).toBeUndefined();
    expect(renderMarkdown(fixture)).not.toContain('Load tools on the same cells');
  });
});
