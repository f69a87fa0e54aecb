import type { Results } from '../results/types.ts';
import { columnsFor, flagText, type Column } from './columns.ts';
import { shellQuote } from './format.ts';
import { tableCharts } from './html-charts.ts';
import { escapeHtml, inlineMarkdown, jsonHtml } from './html-escape.ts';
import { htmlPage } from './html-page.ts';
import { ceilingRows } from './machine-rows.ts';
import { durationText, environmentRows, evidenceColumns, HOW_TO_READ, latencyColumns } from './markdown.ts';
import { buildReportModel, type ReportModel, type ReportRow, type ReportTable } from './model.ts';
import { incompleteNote } from './partial.ts';
import { buildResilienceModel, renderResilienceHtml } from './resilience.ts';
import { buildMemoryModel, renderMemoryHtml } from './memory.ts';
import { buildToolComparison, renderToolComparisonHtml } from './tool-comparison.ts';

/**
 * `report.html`: the Markdown report's tables (same columns, same formatting helpers, same model) plus
 * a chart per table, as one self-contained page. No scripts, fonts or stylesheets are fetched; the
 * Content-Security-Policy forbids them, so a string that slipped past escaping still could not run.
 */

function htmlTable(columns: Column[], rows: readonly ReportRow[], className: string): string {
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`)
    .join('');
  const body = rows.map((row) => {
    const attrs = ` data-adapter="${escapeHtml(row.adapter)}"${row.label === undefined ? '' : ` data-label="${escapeHtml(row.label)}"`}${row.isSlowest ? ' class="slowest"' : ''}`;
    const cells = columns.map((c, i) => {
      const cls = c.numeric ? ' class="num"' : c.value === flagText ? ' class="flags"' : '';
      const text = escapeHtml(c.value(row));
      return i === 0 ? `<th scope="row"${cls}>${text}</th>` : `<td${cls}>${text}</td>`;
    });
    return `<tr${attrs}>${cells.join('')}</tr>`;
  });
  return `<div class="table-wrap"><table class="${className}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table></div>`;
}

function roundsNote(table: ReportTable): string {
  const rounds = new Set(table.rows.map((r) => r.rounds));
  if (rounds.size !== 1) return '';
  const n = [...rounds][0]!;
  return ` · ${n} round${n === 1 ? '' : 's'}`;
}

function tableSection(table: ReportTable, index: number): string {
  return [
    `<section class="result" id="table-${index + 1}">`,
    `<h3>${escapeHtml(table.title + roundsNote(table))}</h3>`,
    htmlTable(columnsFor(table), table.rows, 'results'),
    tableCharts(table),
    '<details><summary>Latency detail and server-side evidence</summary>',
    htmlTable(latencyColumns(table), table.rows, 'latency-detail'),
    htmlTable(evidenceColumns(), table.rows, 'evidence'),
    '</details>',
    '</section>',
  ].join('\n');
}

function toc(model: ReportModel): string {
  if (model.tables.length < 2) return '';
  const items = model.tables.map((t, i) => `<li><a href="#table-${i + 1}">${escapeHtml(t.title)}</a></li>`);
  return `<nav class="toc" aria-label="tables"><ol>\n${items.join('\n')}\n</ol></nav>`;
}

function header(results: Results): string {
  const duration = durationText(results.startedAt, results.finishedAt);
  const item = (term: string, html: string) => `<div><dt>${term}</dt><dd>${html}</dd></div>`;
  const items = [
    item(
      'status',
      `<span class="status status-${results.status === 'complete' ? 'complete' : 'aborted'}">${escapeHtml(results.status)}</span>`,
    ),
    ...(results.kind ? [item('kind', escapeHtml(results.kind))] : []),
    item('started', `<time>${escapeHtml(results.startedAt)}</time>`),
    item('finished', `<time>${escapeHtml(results.finishedAt)}</time>${duration ? ` (${escapeHtml(duration)})` : ''}`),
    item('cells', String(results.cells.length)),
  ];
  return `<header>\n<h1>jobbench report: <code>${escapeHtml(results.runId)}</code></h1>\n<dl class="meta">${items.join('')}</dl>\n</header>`;
}

function abortedBanner(results: Results): string {
  const note = escapeHtml(incompleteNote(results) ?? '');
  if (results.status === 'running')
    return `<p class="banner" role="alert"><strong>Partial results: this run is still running, or was killed</strong> (${note}). The tables cover the windows completed when the file was last written.</p>`;
  if (results.status !== 'aborted') return '';
  const error = results.extra?.['error'];
  const why = typeof error === 'string' ? ` It stopped with: <code>${escapeHtml(error)}</code>.` : '';
  return `<p class="banner" role="alert"><strong>This run was aborted.</strong> (${note}) The tables cover only what was measured before it stopped; cells flagged <em>aborted</em> have fewer rounds than the others.${why}</p>`;
}

function environmentTable(results: Results): string {
  const rows = [...environmentRows(results.environment), ...ceilingRows(results)].map(
    ([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
  );
  return `<div class="table-wrap"><table class="kv environment"><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

/** The kind's own analysis (ADR verdicts, sweep recommendation, capacity curve) as its plain-text tables. */
function analysisSection(model: ReportModel): string {
  const text = model.section?.terminal;
  if (!text) return '';
  const own = model.section?.html ? `${model.section.html}\n` : '';
  return `${own}<section id="analysis">\n<h2>Analysis</h2>\n<pre><code>${escapeHtml(text.trim())}</code></pre>\n</section>`;
}

/** `extra` without what the kind's analysis section already shows, or undefined when nothing is left. */
function otherExtra(results: Results, model: ReportModel): Record<string, unknown> | undefined {
  const key = model.section?.key;
  const rest = Object.fromEntries(Object.entries(results.extra ?? {}).filter(([k]) => k !== key));
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** `extra` is command-specific (sweep, capacity, ADR): shown generically, one block per key, text as is, the rest as JSON. */
function extraSection(extra: Record<string, unknown>): string {
  const blocks = Object.entries(extra).map(([key, value]) => {
    const text = typeof value === 'string' ? escapeHtml(value) : jsonHtml(value);
    return `<details class="extra"><summary>${escapeHtml(key)}</summary>\n<pre><code>${text}</code></pre>\n</details>`;
  });
  return `<section id="extra">\n<h2>Command-specific analysis</h2>\n<p>The analysis this command stored in <code>extra</code>, as recorded in results.json.</p>\n${blocks.join('\n')}\n</section>`;
}

/** The whole `report.html` of a run, as a string (the CLI writes it). Pure: same results, same bytes. */
export function renderHtml(results: Results, model: ReportModel = buildReportModel(results)): string {
  const body = [
    header(results),
    abortedBanner(results),
    `<section id="command">\n<h2>Command</h2>\n<pre><code>${escapeHtml(results.command.map(shellQuote).join(' '))}</code></pre>\n</section>`,
    `<section id="results">\n<h2>Results</h2>\n${toc(model)}`,
    model.tables.length === 0 ? '<p>No cells were measured.</p>' : model.tables.map(tableSection).join('\n'),
    '</section>',
    renderToolComparisonHtml(buildToolComparison(results)),
    renderMemoryHtml(buildMemoryModel(results)),
    renderResilienceHtml(buildResilienceModel(results)),
    `<section id="how-to-read">\n<h2>How to read this</h2>\n<p class="prose">${inlineMarkdown(HOW_TO_READ)}</p>\n<p class="prose">In the charts, each bar is a median over rounds and its whisker the interval its table's header names (a 95% confidence interval from 5 rounds, the range of the rounds below); bars start at zero. A row with a flag has a lighter, dashed bar and a ⚠ after its name: read its numbers with the flag in mind.</p>\n</section>`,
    `<section id="environment">\n<h2>Environment</h2>\n${environmentTable(results)}\n</section>`,
    `<section id="configuration">\n<h2>Configuration</h2>\n<pre><code>${jsonHtml(results.config)}</code></pre>\n</section>`,
    analysisSection(model),
    otherExtra(results, model) === undefined ? '' : extraSection(otherExtra(results, model)!),
    `<footer>jobbench · results schema v${escapeHtml(String(results.schemaVersion))} · run <code>${escapeHtml(results.runId)}</code></footer>`,
  ].filter(Boolean);
  return htmlPage(`jobbench report: ${results.runId}`, body);
}
