import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../bench/report/html.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import { buildReportModel } from '../../bench/report/model.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { summarizeCell } from '../../bench/stats/summarize.ts';
import type { Cell, Results } from '../../bench/results/types.ts';

/** The fixture may be replaced by a real run's file: these tests check structure, order and units only. */
const fixtureText = readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8');
const fixture = (): Results => JSON.parse(fixtureText) as Results;

/** Terminal table blocks: title line, header, rule, rows. */
function terminalBlocks(text: string): string[][] {
  return text
    .trim()
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => lines[2]?.startsWith('---'));
}

/** Markdown tables (consecutive lines starting with "|"). */
function markdownTables(text: string): string[][] {
  const tables: string[][] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length > 0) {
      tables.push(current);
      current = [];
    }
  }
  return tables;
}

/** --wide: one line per row, the layout these structural checks read (fitting 120 columns: widths.test.ts). */
const WIDE = Number.POSITIVE_INFINITY;

const cellCount = (line: string) => line.replace(/\\\|/g, '').split('|').length;

describe('report model', () => {
  const results = fixture();
  const model = buildReportModel(results);

  it('has one table per scenario and load shape, covering every cell', () => {
    const shapes = new Set(
      results.cells.map((c) =>
        JSON.stringify([c.scenario, c.tool, c.connections, c.poolMax, c.targetRate, c.via, c.metrics]),
      ),
    );
    expect(model.tables).toHaveLength(shapes.size);
    expect(model.tables.reduce((n, t) => n + t.rows.length, 0)).toBe(results.cells.length);
  });

  it('sorts adapters slowest first by median req/s, the slowest at ratio 1', () => {
    for (const table of model.tables) {
      const medians = table.rows.map((r) => r.requestsPerSec.median);
      expect(medians).toEqual([...medians].sort((a, b) => a - b));
      expect(table.rows[0]!.isSlowest).toBe(true);
      expect(table.rows[0]!.ratioToSlowest!.median).toBe(1);
      for (const row of table.rows.slice(1)) expect(row.ratioToSlowest!.median).toBeGreaterThanOrEqual(1);
    }
  });

  it('sums requests and errors over rounds', () => {
    const cell = results.cells[0]!;
    const table = model.tables.find(
      (t) => t.scenario === cell.scenario && t.tool === cell.tool && t.connections === cell.connections,
    )!;
    const row = table.rows.find((r) => r.adapter === cell.adapter)!;
    expect(row.requests).toBe(cell.rounds.reduce((n, r) => n + r.requests, 0));
    expect(row.errors).toBe(cell.rounds.reduce((n, r) => n + r.errors, 0));
  });
});

describe('terminal report', () => {
  const text = renderTerminal(fixture(), undefined, WIDE);
  const blocks = terminalBlocks(text);

  it('prints one aligned table per scenario with every adapter', () => {
    expect(blocks.length).toBe(buildReportModel(fixture()).tables.length);
    for (const block of blocks) {
      const [, header, rule, ...rows] = block;
      expect(header).toContain('adapter');
      expect(rule).toMatch(/^[- ]+$/);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.length).toBeLessThanOrEqual(header!.length + 40);
    }
  });

  it('puts a unit on every number', () => {
    for (const block of blocks) {
      for (const row of block.slice(3)) {
        expect(row).toMatch(/req\/s \(/);
        expect(row.match(/\d\.\d{3} ms|\d+\.\d{1,2} ms|\d ms/g)?.length).toBeGreaterThanOrEqual(2);
        expect(row).toMatch(/µs\/req/);
        expect(row).toMatch(/\d\.\d\d×/);
      }
    }
  });

  it('marks the slowest row and shows a CI for the others', () => {
    for (const block of blocks) {
      expect(block[3]).toContain('1.00× (slowest)');
      for (const row of block.slice(4)) expect(row).toMatch(/\d\.\d\d× \(\d\.\d\d–\d\.\d\d\)/);
    }
  });

  it('flags a generator-bound cell', () => {
    const results = fixture();
    results.cells[0]!.rounds[0]!.generatorBound = true;
    expect(renderTerminal(results)).toContain('generator-bound');
  });

  it('says "no interval, n = 2" once in the header, not in every cell, when cells have 2 rounds', () => {
    const results = fixture();
    for (const cell of results.cells) {
      cell.rounds = cell.rounds.slice(0, 2);
      cell.summary = summarizeCell(cell.rounds);
    }
    const out = renderTerminal(results);
    expect(out).toContain('req/s (median, no interval, n = 2)');
    expect(out).not.toMatch(/req\/s \(\d/);
    expect(out).not.toMatch(/no CI|95% CI/);
  });

  // DESIGN rule 13: a bootstrap of the median of 3 rounds is their min … max (about 75% coverage).
  it('never says "95% CI" or "CI" with 3 rounds: terminal, Markdown and HTML name a range', () => {
    const results = fixture();
    for (const cell of results.cells) {
      cell.rounds = cell.rounds.slice(0, 3);
      cell.summary = summarizeCell(cell.rounds);
    }
    for (const out of [renderTerminal(results), renderMarkdown(results), renderHtml(results)]) {
      expect(out).toContain('range, n = 3');
      expect(out).not.toMatch(/95% CI|\bCI\b/);
    }
  });

  it('says "95% CI" from 5 rounds', () => {
    const results = fixture();
    for (const cell of results.cells) {
      const extra = cell.rounds.slice(0, 2).map((r, i) => ({ ...r, round: cell.rounds.length + i + 1 }));
      cell.rounds = [...cell.rounds, ...extra];
      cell.summary = summarizeCell(cell.rounds);
    }
    const out = renderTerminal(results);
    expect(out).toContain('req/s (median, 95% CI)');
    expect(out).not.toContain('range, n =');
  });

  it('announces an aborted run and flags cells that lost rounds', () => {
    const results = fixture();
    results.status = 'aborted';
    const last = results.cells.at(-1)!;
    last.rounds = last.rounds.slice(0, 1);
    last.summary = summarizeCell(last.rounds);
    const out = renderTerminal(results);
    expect(out).toMatch(/ABORTED/);
    expect(out.split('\n').filter((l) => l.startsWith(last.adapter) && l.includes('aborted'))).toHaveLength(1);
  });
});

describe('k6 cells', () => {
  function k6Results(): Results {
    const results = fixture();
    const base = results.cells.filter((c) => c.scenario === results.cells[0]!.scenario);
    const k6: Cell[] = base.map((c, i) => ({
      ...structuredClone(c),
      tool: 'k6',
      targetRate: 500,
      achievedRate: i === 0 ? 431.5 : 499.8,
      droppedIterations: i === 0 ? 1234 : 0,
      invalidForLatency: i === 0,
      sloPassed: i !== 0,
    }));
    results.cells = [...results.cells, ...k6];
    return results;
  }

  it('ranks an open-model table by p99 latency, highest first', () => {
    const table = buildReportModel(k6Results()).tables.find((t) => t.tool === 'k6')!;
    expect(table.ranking).toBe('latency');
    expect(table.title).toContain('target 500 req/s');
    const p99 = table.rows.map((r) => r.latencyP99Us.median);
    expect(p99).toEqual([...p99].sort((a, b) => b - a));
  });

  it('shows achieved / target rate, dropped iterations and the failed SLO', () => {
    const out = renderTerminal(k6Results(), undefined, WIDE);
    const block = terminalBlocks(out).find((b) => b[0]!.includes('k6'))!;
    expect(block[1]).toContain('achieved / target rate');
    expect(block[1]).toContain('p99 vs slowest');
    expect(block.join('\n')).toContain('432 / 500 req/s');
    expect(block.join('\n')).toContain('invalid for latency (1,234 dropped iterations)');
    expect(block.join('\n')).toContain('SLO failed');
  });
});

describe('Markdown report', () => {
  const results = fixture();
  const md = renderMarkdown(results);

  it('has the run status, the exact command, results, how to read, environment and configuration', () => {
    expect(md).toMatch(/^# jobbench report: /);
    expect(md).toContain(`**status:** ${results.status}`);
    expect(md).toContain('```sh\n' + results.command.join(' ') + '\n```');
    for (const heading of ['## Command', '## Results', '## How to read this', '## Environment', '## Configuration'])
      expect(md).toContain(heading);
    expect(md).toContain(results.environment.cpuModel);
    expect(md).toContain(results.environment.postgres);
    for (const [name, version] of Object.entries(results.environment.drivers))
      expect(md).toContain(`${name} ${version}`);
    expect(md).toContain('"profile"');
  });

  it('writes well-formed tables, the results ones in the same order as the terminal', () => {
    const tables = markdownTables(md);
    for (const table of tables) {
      const width = cellCount(table[0]!);
      for (const line of table) expect(cellCount(line)).toBe(width);
      expect(table[1]).toMatch(/^\|( (:--|--:) \|)+$/);
    }
    const model = buildReportModel(results);
    const resultTables = tables.filter((t) => t[0]!.includes('vs slowest'));
    expect(resultTables.map((t) => t.slice(2).map((l) => l.split('|')[1]!.trim()))).toEqual(
      model.tables.map((t) => t.rows.map((r) => r.adapter)),
    );
  });

  it('marks an aborted run', () => {
    expect(renderMarkdown({ ...fixture(), status: 'aborted' })).toContain('This run was aborted');
  });

  it('includes command-specific analysis when present', () => {
    expect(renderMarkdown({ ...fixture(), kind: 'sweep', extra: { recommendedPoolMax: 8 } })).toContain(
      '"recommendedPoolMax": 8',
    );
  });
});
