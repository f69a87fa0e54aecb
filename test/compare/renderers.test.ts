import { describe, expect, it } from 'vitest';
import { compareResults } from '../../bench/compare/compare.ts';
import { buildBmf, BMF_MEASURES } from '../../bench/compare/render-bmf.ts';
import { buildGithubBenchmark } from '../../bench/compare/render-github-benchmark.ts';
import { escapeXml, renderCompareJunit } from '../../bench/compare/render-junit.ts';
import { renderCompareMarkdown } from '../../bench/compare/render-markdown.ts';
import { renderCompareTerminal } from '../../bench/compare/render-terminal.ts';
import { makeRun } from '../fixtures/make-compare-results.ts';
import { findAll, parseXml } from './xml.ts';
import { compareColumns, groupRounds } from '../../bench/compare/format.ts';
import type { MetricComparison } from '../../bench/compare/verdict.ts';

const base = makeRun({ seed: 1, adapters: ['pg-pool', 'postgres-js'] }, { queriesPerRequest: 1 });
const head = makeRun({ seed: 2, adapters: ['pg-pool', 'postgres-js'] }, { cpuFactor: 1.3, queriesPerRequest: 1 });
const c = compareResults(base, head);
const checks = c.groups.flatMap((g) => g.cells.flatMap((cell) => cell.metrics.map((m) => ({ cell, m }))));

describe('terminal', () => {
  it('puts the verdict first and gives every number its unit and interval', () => {
    const text = renderCompareTerminal(c);
    expect(text.split('\n')[0]).toMatch(/^REGRESSED: /);
    expect(text).toMatch(/\d[\d,]* req\/s \([\d,]+–[\d,]+\)/);
    expect(text).toMatch(/\d\.\d{3} ms \(\d\.\d{3}–\d\.\d{3}\)/);
    expect(text).toMatch(/[+−]\d+\.\d% \([+−]\d+\.\d% … [+−]\d+\.\d%\)/);
  });
});

describe('Markdown', () => {
  const md = renderCompareMarkdown(c);
  it('starts with the verdict, lists regressions, and has one collapsible table per scenario', () => {
    expect(md.split('\n')[0]).toBe('## ❌ jobbench compare: regressed');
    expect(md).toContain('### Regressions');
    expect(md).toMatch(/- \*\*pg-pool · get-job .*\*\* — server CPU\/request: worse by \+/);
    expect(md.match(/<details/g)).toHaveLength(c.groups.length);
    expect(md).toContain('<details open>'); // the group with a regression is open
    const rows = md.split('\n').filter((l) => /^\| (❌|✅|🟢|❔|➖) /.test(l));
    expect(rows).toHaveLength(checks.length);
  });
});

describe('JUnit XML', () => {
  const xml = renderCompareJunit(c);
  const root = parseXml(xml);
  it('parses back with one testcase per cell × metric and counts that add up', () => {
    expect(root.name).toBe('testsuites');
    const cases = findAll(root, 'testcase');
    expect(cases).toHaveLength(checks.length);
    expect(Number(root.attrs['tests'])).toBe(checks.length);
    expect(findAll(root, 'failure')).toHaveLength(c.counts.regressed);
    expect(Number(root.attrs['failures'])).toBe(c.counts.regressed);
    expect(findAll(root, 'skipped')).toHaveLength(c.counts.inconclusive + c.counts['n/a']);
    for (const suite of findAll(root, 'testsuite'))
      expect(Number(suite.attrs['tests'])).toBe(findAll(suite, 'testcase').length);
  });

  it('names the regressed cell and metric in the failure', () => {
    const failed = findAll(root, 'testcase').filter((t) => findAll(t, 'failure').length > 0);
    expect(failed.map((t) => t.attrs['name'])).toContain('pg-pool · server CPU/request');
    expect(findAll(failed[0]!, 'failure')[0]!.attrs['message']).toMatch(/pg-pool · get-job .*worse by/);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml(`<a b="c" d='e'>&\u0001`)).toBe('&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;');
    const hostile = makeRun({ adapters: ['<x a="&">\u0007'] });
    const doc = parseXml(renderCompareJunit(compareResults(hostile, hostile)));
    expect(findAll(doc, 'testcase')[0]!.attrs['name']).toContain('<x a="&">');
  });
});

describe('Bencher Metric Format', () => {
  const bmf = buildBmf(c);
  it('has one benchmark per cell and one measure per metric, head medians with their intervals', () => {
    expect(Object.keys(bmf)).toHaveLength(c.groups.flatMap((g) => g.cells).length);
    for (const { cell, m } of checks) {
      const measure = bmf[cell.title]![BMF_MEASURES[m.metric]]!;
      expect(measure.value).toBe(m.head!.median);
      if (m.head!.ci95) {
        expect(measure.lower_value).toBe(m.head!.ci95[0]);
        expect(measure.upper_value).toBe(m.head!.ci95[1]);
      }
    }
  });
});

describe('github-action-benchmark custom JSON', () => {
  const files = buildGithubBenchmark(c);
  it('splits metrics by direction, with name, unit, value, range and extra', () => {
    expect(files.biggerIsBetter.every((e) => e.name.endsWith('req/s'))).toBe(true);
    expect(files.biggerIsBetter).toHaveLength(2);
    expect(files.smallerIsBetter).toHaveLength(checks.length - 2);
    for (const e of [...files.biggerIsBetter, ...files.smallerIsBetter]) {
      expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['name', 'unit', 'value', 'extra']));
      expect(typeof e.value).toBe('number');
      if (e.range !== undefined) expect(e.range).toMatch(/^± [\d.e+-]+$/);
    }
  });
});

describe('interval names in the headers', () => {
  it('come from the measured metrics: one measured on neither side (n/a) does not make them "n = 0"', () => {
    const measured = { baseRounds: 6, headRounds: 6 } as MetricComparison;
    const notMeasured = { baseRounds: 0, headRounds: 0 } as MetricComparison;
    expect(groupRounds({ cells: [{ metrics: [measured, notMeasured] }] })).toBe(6);
    expect(compareColumns(6).map((c) => c.header)).toContain('base (median, 95% CI)');
    expect(groupRounds({ cells: [{ metrics: [notMeasured] }] })).toBe(0);
  });
});
