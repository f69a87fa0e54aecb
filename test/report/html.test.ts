import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnsFor } from '../../bench/report/columns.ts';
import { shellQuote } from '../../bench/report/format.ts';
import { escapeHtml, inlineMarkdown } from '../../bench/report/html-escape.ts';
import { niceTicks } from '../../bench/report/html-svg.ts';
import { renderHtml } from '../../bench/report/html.ts';
import { buildReportModel } from '../../bench/report/model.ts';
import { htmlReportPath, writeMarkdownReport } from '../../bench/report/write.ts';
import { summarizeCell } from '../../bench/stats/summarize.ts';
import { fixture, HOSTILE, hostileResults, withK6Cells } from './html-support.ts';

/** The `<section class="result">` blocks of a page, in document order. */
function resultSections(html: string): string[] {
  return [...html.matchAll(/<section class="result" id="table-\d+">([\s\S]*?)<\/section>/g)].map((m) => m[1]!);
}

/** The `<tr>` elements of the first table of a given class in a block. */
function tableRows(block: string, className: string): string[] {
  const table = new RegExp(`<table class="${className}">([\\s\\S]*?)</table>`).exec(block)![1]!;
  return [...table.matchAll(/<tr[ >][\s\S]*?<\/tr>/g)].map((m) => m[0]);
}

const svgs = (block: string) => [...block.matchAll(/<svg class="chart"[\s\S]*?<\/svg>/g)].map((m) => m[0]);

describe('renderHtml', () => {
  const results = fixture();
  const model = buildReportModel(results);
  const html = renderHtml(results, model);

  it('is one complete document with the run id, status, exact command, environment and configuration', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).toContain(`<title>jobbench report: ${results.runId}</title>`);
    expect(html).toContain('status-complete');
    expect(html).toContain(`<pre><code>${results.command.join(' ')}</code></pre>`);
    for (const id of ['command', 'results', 'how-to-read', 'environment', 'configuration'])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain(escapeHtml(results.environment.cpuModel));
    for (const [name, version] of Object.entries(results.environment.drivers))
      expect(html).toContain(`${name} ${version}`);
    expect(html).toContain('&quot;profile&quot;: &quot;quick&quot;');
  });

  it('loads nothing from outside the page and runs no script', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|href="(?!#)/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
  });

  it('is pure: the same results give the same bytes, and the results are not modified', () => {
    const copy = structuredClone(results);
    expect(renderHtml(copy)).toBe(html);
    expect(copy).toEqual(results);
  });

  it('has one section per table, with the Markdown columns and the rows slowest first', () => {
    const sections = resultSections(html);
    expect(sections).toHaveLength(model.tables.length);
    model.tables.forEach((table, i) => {
      const rows = tableRows(sections[i]!, 'results');
      const headers = [...rows[0]!.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
      expect(headers).toEqual(columnsFor(table).map((c) => escapeHtml(c.header)));
      const body = rows.slice(1);
      expect(body.map((r) => /data-adapter="([^"]*)"/.exec(r)![1])).toEqual(table.rows.map((r) => r.adapter));
      body.forEach((tr, j) => {
        for (const column of columnsFor(table)) expect(tr).toContain(`>${escapeHtml(column.value(table.rows[j]!))}</`);
      });
      expect(body[0]).toContain('class="slowest"');
    });
  });

  it('puts a unit on every number of the results tables', () => {
    for (const section of resultSections(html)) {
      for (const tr of tableRows(section, 'results').slice(1)) {
        const cells = [...tr.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!);
        for (const cell of cells) if (cell !== '0') expect(cell).toMatch(/req\/s|ms|µs\/req|×/);
      }
    }
  });

  it('draws a throughput chart and a p50/p99 latency chart per table, one bar per adapter and percentile', () => {
    model.tables.forEach((table, i) => {
      const [throughput, latency] = svgs(resultSections(html)[i]!);
      expect(throughput).toMatch(/viewBox="0 0 \d+ \d+" width="\d+" height="\d+"/);
      expect(throughput!.match(/class="bar bar-rps/g)).toHaveLength(table.rows.length);
      expect(latency!.match(/class="bar bar-p50/g)).toHaveLength(table.rows.length);
      expect(latency!.match(/class="bar bar-p99/g)).toHaveLength(table.rows.length);
      // 3 rounds: every bar has its 95% CI whisker.
      expect(throughput!.match(/class="whisker"/g)).toHaveLength(table.rows.length);
      const names = [...throughput!.matchAll(/<text class="name"[^>]*><title>[^<]*<\/title>([^<]*)<\/text>/g)].map(
        (m) => m[1],
      );
      expect(names).toEqual(table.rows.map((r) => (r.flags.length > 0 ? `${r.adapter} ⚠` : r.adapter)));
    });
  });

  it('shows the shared "How to read this" text with its emphasis as HTML', () => {
    const section = /<section id="how-to-read">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(section).toContain('<strong>median over rounds</strong>');
    expect(section).toContain('<em>generator-bound</em>');
    expect(section).not.toContain('*');
  });

  it('says "no interval, n = 2" and draws no whisker when cells have fewer than 3 rounds', () => {
    const few = fixture();
    for (const cell of few.cells) {
      cell.rounds = cell.rounds.slice(0, 2);
      cell.summary = summarizeCell(cell.rounds);
    }
    const out = renderHtml(few);
    expect(out).toContain('no interval, n = 2');
    expect(out).not.toContain('no CI');
    expect(out).not.toContain('class="whisker"');
  });

  it('flags a generator-bound row in the table and in its chart', () => {
    const flagged = fixture();
    for (const round of flagged.cells[0]!.rounds) round.generatorBound = true;
    const out = renderHtml(flagged);
    expect(out).toContain('<td class="flags">generator-bound</td>');
    expect(out).toMatch(/class="bar bar-rps flagged"/);
    expect(out).toContain(`${flagged.cells[0]!.adapter} ⚠</text>`);
  });

  it('leads an open-model table with its latency chart and marks the target rate', () => {
    const results = withK6Cells();
    const model = buildReportModel(results);
    const index = model.tables.findIndex((t) => t.ranking === 'latency');
    const section = resultSections(renderHtml(results, model))[index]!;
    const [first, second] = svgs(section);
    expect(first).toContain('bar-p99');
    expect(second).toContain('class="reference"');
    expect(second).toContain('target 500 req/s');
    expect(section).toContain('achieved / target rate');
    expect(section).toContain('invalid for latency (1,234 dropped iterations)');
  });

  it('announces an aborted run with its error and shows every extra key as JSON', () => {
    const out = renderHtml({
      ...fixture(),
      status: 'aborted',
      kind: 'sweep',
      extra: { error: 'database went away', knee: { poolMax: 8 } },
    });
    expect(out).toContain('status-aborted');
    expect(out).toContain('This run was aborted.');
    expect(out).toContain('<code>database went away</code>');
    expect(out).toContain('<summary>knee</summary>');
    expect(out).toContain('&quot;poolMax&quot;: 8');
  });

  it('says so when no cell was measured', () => {
    const out = renderHtml({ ...fixture(), cells: [] });
    expect(out).toContain('No cells were measured.');
    expect(out).not.toContain('<svg');
  });
});

describe('renderHtml escaping', () => {
  const html = renderHtml(hostileResults());

  it('never emits markup from the results file', () => {
    expect(html).not.toMatch(/<script|<img|<iframe|<svg onload|<b on/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1); // only the stylesheet's own
    expect(html.match(/<\/pre>/g)!.length).toBe(html.match(/<pre>/g)!.length);
  });

  // As the page shows them: the command shell-quoted.
  const shown: Record<keyof typeof HOSTILE, string> = { ...HOSTILE, arg: shellQuote(HOSTILE.arg) };
  it.each(Object.entries(shown))('shows the %s string as text', (_, text) => {
    expect(html).toContain(escapeHtml(text));
  });

  it('escapes attribute values (data-adapter, data-label, aria-label)', () => {
    expect(html).toContain(`data-adapter="${escapeHtml(HOSTILE.adapter)}"`);
    expect(html).toContain(`data-label="${escapeHtml(HOSTILE.label)}"`);
    expect(html).toMatch(/aria-label="[^"<>]*health&lt;\/style&gt;/);
  });
});

describe('HTML helpers', () => {
  it.each([
    ['<a href="x">&</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'],
    ["it's", 'it&#39;s'],
    ['plain 1,234 req/s', 'plain 1,234 req/s'],
  ])('escapeHtml(%j)', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it.each([
    ['**slowest\nfirst** then *aborted*', '<strong>slowest\nfirst</strong> then <em>aborted</em>'],
    ['**<b>**', '<strong>&lt;b&gt;</strong>'],
    ['a * b * c', 'a * b * c'],
  ])('inlineMarkdown(%j)', (input, expected) => {
    expect(inlineMarkdown(input)).toBe(expected);
  });

  it.each([
    [0, [0, 1]],
    [Number.NaN, [0, 1]],
    [88, [0, 20, 40, 60, 80, 100]],
    [9360, [0, 2000, 4000, 6000, 8000, 10000]],
    [1.9, [0, 0.5, 1, 1.5, 2]],
    [27453, [0, 10000, 20000, 30000]],
    [0.33, [0, 0.1, 0.2, 0.3, 0.4]],
  ])('niceTicks(%s)', (max, expected) => {
    expect(niceTicks(max)).toEqual(expected);
  });
});

describe('writeMarkdownReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes report.html beside report.md', async () => {
    const results = fixture();
    const path = await writeMarkdownReport(results, dir);
    expect(path).toBe(join(dir, 'report.md'));
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(renderHtml(results));
  });

  it.each([
    ['/r/report.md', '/r/report.html'],
    ['/r/custom.md', '/r/custom.html'],
    ['/r/report.txt', '/r/report.txt.html'],
    ['/r/report.html', '/r/report.html.html'],
  ])('htmlReportPath(%s) is %s', (md, html) => {
    expect(htmlReportPath(md)).toBe(html);
  });
});
