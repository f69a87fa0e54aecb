import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareGateRun, compareResults } from '../../bench/compare/compare.ts';
import { renderCompareHtml } from '../../bench/compare/render-html.ts';
import { renderCompareMarkdown } from '../../bench/compare/render-markdown.ts';
import { renderCompareTerminal } from '../../bench/compare/render-terminal.ts';
import { buildReportModel } from '../../bench/report/model.ts';
import { summaryLine } from '../../bench/report/summary.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { renderTextTable, TERMINAL_WIDTH, wrapText, displayWidth } from '../../bench/report/text-table.ts';
import type { Results } from '../../bench/results/types.ts';
import { makeGateRun, makeRun } from '../fixtures/make-compare-results.ts';

/** #22: run tables were 184 columns, gate tables 268. Default output fits 120; --wide keeps one line per row. */

const fixtureText = readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8');
const fixture = (): Results => JSON.parse(fixtureText) as Results;
const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

describe('terminal output fits 120 columns', () => {
  it('run: every line of the tables fits, and --wide gives the one-line-per-row layout', () => {
    const results = fixture();
    const model = buildReportModel(results);
    const fitted = renderTerminal(results, model);
    const wide = renderTerminal(results, model, Number.POSITIVE_INFINITY);
    expect(widest(fitted)).toBeLessThanOrEqual(TERMINAL_WIDTH);
    expect(widest(wide)).toBeGreaterThan(TERMINAL_WIDTH); // the fixture's tables are wider than 120: the test can fail
    // nothing is lost: every adapter's flags and ratios are still printed, under the table
    for (const row of model.tables[0]!.rows) expect(fitted).toContain(row.adapter);
  });

  it('compare: two runs with a regression fit, the "why" moved under the table', () => {
    const c = compareResults(makeRun({ rounds: 5 }), makeRun({ rounds: 5, seed: 7 }, { cpuFactor: 1.3 }));
    const text = renderCompareTerminal(c);
    expect(widest(text)).toBeLessThanOrEqual(TERMINAL_WIDTH);
    expect(widest(renderCompareTerminal(c, Number.POSITIVE_INFINITY))).toBeGreaterThan(TERMINAL_WIDTH);
    expect(text).toMatch(/why: /);
  });

  it('gate: the comparison of one interleaved run fits', () => {
    const c = compareGateRun(makeGateRun({ rounds: 6 }, {}, { cpuFactor: 1.2 }));
    expect(widest(renderCompareTerminal(c))).toBeLessThanOrEqual(TERMINAL_WIDTH);
  });

  it('wraps a long paragraph at word boundaries, continuation lines indented', () => {
    const text = wrapText(`Conclusion: ${'word '.repeat(200).trim()}`, 120, 2);
    expect(widest(text)).toBeLessThanOrEqual(120);
    expect(
      text
        .split('\n')
        .slice(1)
        .every((l) => l.startsWith('  word')),
    ).toBe(true);
    expect(text.replace(/\n +/g, ' ')).toBe(`Conclusion: ${'word '.repeat(200).trim()}`);
  });

  it('moves the widest columns (never the first) to a detail line per row', () => {
    const long = 'why '.repeat(12).trim();
    const t = { headers: ['name', 'a', 'long'], numeric: [false, true, false], rows: [['x', '1', long]] };
    const text = renderTextTable(t, 30);
    expect(widest(text)).toBeLessThanOrEqual(30);
    expect(text.split('\n')[0]).toBe('name  a');
    expect(text.split('\n').slice(3).join(' ').replace(/ +/g, ' ')).toBe(` x · long: ${long}`);
  });
});

describe('compare and gate with 3 rounds say "range", never "95% CI" (DESIGN rule 13)', () => {
  it('terminal, Markdown and HTML', () => {
    const c = compareGateRun(makeGateRun({ rounds: 3 }, {}, { cpuFactor: 1.2 }));
    for (const out of [renderCompareTerminal(c), renderCompareMarkdown(c, 'jobbench gate'), renderCompareHtml(c)]) {
      expect(out).toContain('range, n = 3');
      expect(out).not.toMatch(/95% CI|\bCI\b/);
    }
    const five = compareGateRun(makeGateRun({ rounds: 5 }, {}, { cpuFactor: 1.2 }));
    expect(renderCompareTerminal(five)).toContain('change (95% CI)');
  });
});

describe('the gate and the last line', () => {
  it('an A/A gate table reads head against base, never "(slowest)"', () => {
    const model = buildReportModel(makeGateRun({ rounds: 6 }));
    const text = renderTerminal(makeGateRun({ rounds: 6 }), model);
    expect(model.tables[0]!.reference).toBe('base');
    expect(text).not.toContain('(slowest)');
    expect(text.split('\n').filter((l) => l.includes('1.00× (base)'))).toHaveLength(2); // each adapter's base
    expect(text).toMatch(/req\/s vs base \(95% CI\)/);
  });

  it("the gate's Markdown heading names the gate, compare's names compare", () => {
    const c = compareGateRun(makeGateRun({ rounds: 6 }));
    expect(renderCompareMarkdown(c, 'jobbench gate')).toMatch(/^## ✅ jobbench gate: pass/);
    expect(renderCompareMarkdown(c, 'jobbench gate')).not.toContain('jobbench compare:');
    expect(renderCompareMarkdown(c)).toMatch(/^## ✅ jobbench compare: pass/);
  });

  it('a run ends with a one-line summary: who served how much more than the slowest, and the flags', () => {
    const results = fixture();
    results.cells[0]!.rounds[0]!.machineSaturated = true;
    const model = buildReportModel(results);
    const line = summaryLine(model);
    const t = model.tables[0]!;
    const slowest = t.rows[0]!.adapter;
    expect(line).toMatch(new RegExp(`^summary: \\S+ served \\d+\\.\\d\\d× the req/s of the slowest \\(${slowest}\\)`));
    // named when it fits 120 columns, else counted
    const named = new RegExp(`${results.cells[0]!.adapter} was [a-z, -]*machine-saturated`);
    expect(line).toMatch(
      line.length + 1 > 120 || !line.includes('flagged') ? named : /; 1 flagged \(see the tables\)$/,
    );
    expect(line.length).toBeLessThanOrEqual(120);
    expect(line).not.toContain('\n');
  });

  it('the summary fits 120 columns: many flagged targets are counted, not named', () => {
    const results = fixture();
    for (const c of results.cells) for (const r of c.rounds) Object.assign(r, { machineSaturated: true });
    const model = buildReportModel(results);
    const names = new Set(model.tables.flatMap((t) => t.rows.filter((r) => r.flags.length > 0).map((r) => r.adapter)));
    const line = summaryLine(model);
    expect(line.length).toBeLessThanOrEqual(120);
    if (`${line}`.includes('flagged'))
      expect(line).toMatch(new RegExp(`; ${names.size} flagged \\(see the tables\\)$`));
    else expect(names.size).toBeLessThanOrEqual(1); // one flagged name fits
  });

  it("a kind's own verdict wins the last line", () => {
    const model = {
      ...buildReportModel(fixture()),
      section: { key: 'gate', markdown: '', terminal: '', summary: 'gate: PASS (unchanged)' },
    };
    expect(summaryLine(model)).toBe('gate: PASS (unchanged)');
  });
});
