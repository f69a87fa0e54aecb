/**
 * Memory of the harness and of the server (issue 14: the harness must stay bounded over a long soak):
 * per cell, the server's peak RSS and jobbench's own peak and end RSS; for windows over a minute, both
 * RSS per minute (results' rssOverTime). Files written before the harness recorded its RSS have no
 * such section. Pure: returns strings.
 */
import type { Cell, Results } from '../results/types.ts';
import type { RssSeries } from '../results/memory.ts';
import { formatBytes } from './format.ts';
import { escapeHtml } from './html-escape.ts';

export interface MemoryRow {
  cell: string; // "pg-pool · mixed · autocannon · 64 connections"
  serverPeakRssBytes: number | null; // largest over the rounds; null: no process evidence
  harnessPeakRssBytes: number; // largest over the rounds
  harnessEndRssBytes: number; // at the end of the cell's last round
}

export interface MemorySeries {
  title: string; // the cell and its round
  series: RssSeries;
}

export interface MemoryModel {
  rows: MemoryRow[];
  series: MemorySeries[];
}

function cellName(c: Cell): string {
  return [c.label ? `${c.adapter} (${c.label})` : c.adapter, c.scenario, c.tool, `${c.connections} connections`].join(
    ' · ',
  );
}

export function buildMemoryModel(results: Pick<Results, 'cells'>): MemoryModel {
  const rows: MemoryRow[] = [];
  const series: MemorySeries[] = [];
  for (const c of results.cells) {
    const rounds = c.rounds.filter((r) => r.harnessPeakRssBytes !== undefined);
    if (rounds.length === 0) continue;
    const server = rounds.map((r) => r.serverRssBytes).filter((v): v is number => v !== null);
    rows.push({
      cell: cellName(c),
      serverPeakRssBytes: server.length ? Math.max(...server) : null,
      harnessPeakRssBytes: Math.max(...rounds.map((r) => r.harnessPeakRssBytes!)),
      harnessEndRssBytes: rounds[rounds.length - 1]!.harnessEndRssBytes ?? 0,
    });
    for (const r of rounds)
      if (r.rssOverTime) series.push({ title: `${cellName(c)} · round ${r.round}`, series: r.rssOverTime });
  }
  return { rows, series };
}

const ROW_HEADERS = ['cell', 'server peak RSS', 'harness peak RSS', 'harness RSS at the end'];
const rowCells = (r: MemoryRow) => [
  r.cell,
  r.serverPeakRssBytes === null ? 'n/a' : formatBytes(r.serverPeakRssBytes),
  formatBytes(r.harnessPeakRssBytes),
  formatBytes(r.harnessEndRssBytes),
];
const seriesHeaders = (s: RssSeries) => [
  s.bucketS === 60 ? 'minute' : `from (s, ${s.bucketS} s buckets)`,
  'harness RSS',
  'server RSS',
];
const seriesCells = (s: RssSeries) =>
  s.points.map((p) => [
    s.bucketS === 60 ? String(p.atS / 60 + 1) : String(p.atS),
    formatBytes(p.harnessRssBytes),
    p.serverRssBytes === null ? 'n/a' : formatBytes(p.serverRssBytes),
  ]);

const NOTE =
  'RSS of jobbench itself (the harness: process.memoryUsage, sampled every second) and of the server under test (its process tree, from /proc), measured windows only. The harness keeps histograms and counters, not samples: its RSS should stay flat however long the window. Over time: the largest RSS in each bucket.';

function markdownTable(headers: string[], rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (i === 0 ? ':--' : '--:'))), ...rows.map(line)].join('\n');
}

export function renderMemoryMarkdown(m: MemoryModel): string {
  if (m.rows.length === 0) return '';
  const parts = ['## Memory', NOTE, markdownTable(ROW_HEADERS, m.rows.map(rowCells))];
  for (const s of m.series)
    parts.push(`RSS over time: ${s.title}`, markdownTable(seriesHeaders(s.series), seriesCells(s.series)));
  return parts.join('\n\n');
}

function textTable(headers: string[], rows: string[][]): string {
  const grid = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...grid.map((r) => r[i]!.length)));
  const text = grid.map((r) =>
    r
      .map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  text.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return text.join('\n');
}

/** The terminal shows memory only for long windows (a soak): a short run's tables stay as they were. */
export function renderMemoryTerminal(m: MemoryModel): string {
  if (m.series.length === 0) return '';
  const parts = ['Memory', textTable(ROW_HEADERS, m.rows.map(rowCells))];
  for (const s of m.series)
    parts.push(`RSS over time: ${s.title}\n${textTable(seriesHeaders(s.series), seriesCells(s.series))}`);
  return parts.join('\n\n');
}

function htmlTable(headers: string[], rows: string[][]): string {
  const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((x, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeHtml(x)}</td>`).join('')}</tr>`)
    .join('');
  return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function renderMemoryHtml(m: MemoryModel): string {
  if (m.rows.length === 0) return '';
  const parts = ['<section id="memory">', '<h2>Memory</h2>', `<p class="prose">${escapeHtml(NOTE)}</p>`];
  parts.push(htmlTable(ROW_HEADERS, m.rows.map(rowCells)));
  for (const s of m.series)
    parts.push(
      `<h3>RSS over time: ${escapeHtml(s.title)}</h3>`,
      htmlTable(seriesHeaders(s.series), seriesCells(s.series)),
    );
  parts.push('</section>');
  return parts.join('\n');
}
