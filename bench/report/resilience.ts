import type { Cell, FailedWindow, Results } from '../results/types.ts';
import { medianCi } from '../stats/bootstrap.ts';
import { formatInt } from './format.ts';
import { escapeHtml } from './html-escape.ts';

/**
 * The resilience section of a report, for cells measured under a scheduled fault (--fault): per
 * adapter, the error window, time to recover, requests failed and unanswered, and a one-line timeline
 * of the success share per second (every round summed); then the windows that failed. Pure.
 */

export interface ResilienceRow {
  adapter: string;
  label?: string;
  rounds: number;
  errorWindowMs: number | null; // median over rounds (a round without failure counts 0)
  timeToRecoverMs: number | null; // median over the rounds that recovered
  recoveredRounds: number;
  requestsFailed: number; // summed over rounds
  requestsTotal: number;
  noAnswer: number;
  /** Success share per second of the window, every round summed; null: no request in that second. */
  successBySecond: (number | null)[];
}

export interface ResilienceTable {
  title: string;
  fault: string;
  rows: ResilienceRow[]; // fastest recovery first (never recovered last)
}

export interface ResilienceModel {
  tables: ResilienceTable[];
  failedWindows: FailedWindow[];
}

const median = (xs: number[]) => (xs.length === 0 ? null : medianCi(xs).median);

function rowOf(cell: Cell): ResilienceRow {
  const rounds = cell.rounds.filter((r) => r.resilience && r.timeline);
  const seconds = Math.max(0, ...rounds.map((r) => r.timeline!.length));
  const ok = new Array<number>(seconds).fill(0);
  const total = new Array<number>(seconds).fill(0);
  for (const r of rounds) for (const s of r.timeline!) ((ok[s.startS]! += s.ok), (total[s.startS]! += s.total));
  const recovered = rounds.map((r) => r.resilience!.timeToRecoverMs).filter((v): v is number => v !== null);
  return {
    adapter: cell.adapter,
    ...(cell.label ? { label: cell.label } : {}),
    rounds: rounds.length,
    errorWindowMs: rounds.every((r) => r.resilience!.errorWindowMs === null)
      ? null
      : median(rounds.map((r) => r.resilience!.errorWindowMs ?? 0)),
    timeToRecoverMs: median(recovered),
    recoveredRounds: recovered.length,
    requestsFailed: rounds.reduce((n, r) => n + r.resilience!.requestsFailed, 0),
    requestsTotal: rounds.reduce((n, r) => n + r.resilience!.requestsTotal, 0),
    noAnswer: rounds.reduce((n, r) => n + r.resilience!.requestsNoAnswer, 0),
    successBySecond: total.map((t, i) => (t === 0 ? null : ok[i]! / t)),
  };
}

/** The model of the section; empty tables when no cell ran under a fault. */
export function buildResilienceModel(results: Results): ResilienceModel {
  const groups = new Map<string, Cell[]>();
  for (const cell of results.cells) {
    if (cell.fault === undefined || cell.rounds.length === 0) continue;
    const key = `${cell.scenario} · ${cell.tool} · ${cell.connections} connections · fault ${cell.fault}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const rank = (r: ResilienceRow) => (r.timeToRecoverMs === null ? Infinity : r.timeToRecoverMs);
  return {
    tables: [...groups.entries()].map(([title, cells]) => ({
      title,
      fault: cells[0]!.fault!,
      rows: cells.map(rowOf).sort((a, b) => rank(a) - rank(b) || (a.errorWindowMs ?? 0) - (b.errorWindowMs ?? 0)),
    })),
    failedWindows: results.failedWindows ?? [],
  };
}

const BLOCKS = '▁▂▃▄▅▆▇█';
/** One character per second: █ all succeeded … ▁ under 1/8, ✗ none, · no request at all. */
export function sparkline(shares: readonly (number | null)[]): string {
  return shares.map((s) => (s === null ? '·' : s === 0 ? '✗' : BLOCKS[Math.min(7, Math.floor(s * 8))]!)).join('');
}

const seconds = (ms: number | null) => (ms === null ? 'none' : `${(ms / 1000).toFixed(1)} s`);

function cells(row: ResilienceRow): string[] {
  return [
    row.label ? `${row.adapter} (${row.label})` : row.adapter,
    seconds(row.errorWindowMs),
    row.timeToRecoverMs === null ? 'never' : `${seconds(row.timeToRecoverMs)} (${row.recoveredRounds}/${row.rounds})`,
    `${formatInt(row.requestsFailed)} / ${formatInt(row.requestsTotal)}`,
    formatInt(row.noAnswer),
    sparkline(row.successBySecond),
  ];
}

const HEADERS = ['adapter', 'error window', 'time to recover', 'failed / requests', 'no answer', 'success per second'];
const NOTE =
  'Error window: first to last failed request (median over rounds). Time to recover: from the fault clearing to the first whole second with ≥ 95% success and at least half the requests of a second before the fault (median over the rounds that recovered, and how many did). No answer must be 0. Timeline: one character per second of the measured window, the success share of every round summed (█ all, ▁ few, ✗ none, · no request).';

function failedLines(failed: readonly FailedWindow[]): string[] {
  return failed.map(
    (f) =>
      `round ${f.round} · ${f.adapter} · ${f.scenario} · ${f.connections} conn${f.fault ? ` · fault ${f.fault}` : ''}: ${f.reason}`,
  );
}

export function renderResilienceTerminal(model: ResilienceModel): string {
  const parts: string[] = [];
  for (const table of model.tables) {
    const grid = [HEADERS, ...table.rows.map(cells)];
    const widths = HEADERS.map((_, i) => Math.max(...grid.map((r) => [...r[i]!].length)));
    const line = (r: string[]) =>
      r
        .map((c, i) => c + ' '.repeat(widths[i]! - [...c].length))
        .join('  ')
        .trimEnd();
    parts.push(
      [
        `Resilience: ${table.title}`,
        line(HEADERS),
        widths.map((w) => '-'.repeat(w)).join('  '),
        ...table.rows.map((r) => line(cells(r))),
      ].join('\n'),
    );
  }
  if (model.tables.length > 0) parts.push(NOTE);
  if (model.failedWindows.length > 0)
    parts.push(['Failed windows (not in the tables)', ...failedLines(model.failedWindows)].join('\n'));
  return parts.join('\n\n');
}

export function renderResilienceMarkdown(model: ResilienceModel): string {
  const parts: string[] = [];
  if (model.tables.length > 0) parts.push('## Resilience under faults', NOTE);
  const row = (r: string[]) => `| ${r.join(' | ')} |`;
  for (const table of model.tables) {
    parts.push(
      `### ${table.title}`,
      [
        row(HEADERS),
        row(['---', '---:', '---:', '---:', '---:', '---']),
        ...table.rows.map((r) => row(cells(r).map((c, i) => (i === 5 ? `\`${c}\`` : c)))),
      ].join('\n'),
    );
  }
  if (model.failedWindows.length > 0)
    parts.push(
      '## Failed windows',
      'Each was left out of the tables; the run went on.',
      failedLines(model.failedWindows)
        .map((l) => `- ${l}`)
        .join('\n'),
    );
  return parts.join('\n\n');
}

const STRIP_W = 8; // px per second
const STRIP_H = 14;

/** An SVG strip of the success share per second: a full bar is every request succeeded. */
export function timelineSvg(row: ResilienceRow): string {
  const rects = row.successBySecond.map((s, i) => {
    const h = s === null ? 0 : Math.max(1, Math.round(s * STRIP_H));
    const cls = s === null ? 'grid' : s >= 0.95 ? 'bar-rps' : 'bar-p99';
    return `<rect class="${cls}" x="${i * STRIP_W}" y="${STRIP_H - h}" width="${STRIP_W - 1}" height="${h}"><title>${i} s: ${s === null ? 'no request' : `${Math.round(s * 100)}% ok`}</title></rect>`;
  });
  const w = row.successBySecond.length * STRIP_W;
  return `<svg role="img" aria-label="success per second, ${escapeHtml(row.adapter)}" width="${w}" height="${STRIP_H}" viewBox="0 0 ${w} ${STRIP_H}">${rects.join('')}</svg>`;
}

export function renderResilienceHtml(model: ResilienceModel): string {
  if (model.tables.length === 0 && model.failedWindows.length === 0) return '';
  const parts = [
    '<section id="resilience">',
    '<h2>Resilience under faults</h2>',
    `<p class="prose">${escapeHtml(NOTE)}</p>`,
  ];
  for (const table of model.tables) {
    const body = table.rows.map((r) => {
      const c = cells(r)
        .slice(0, 5)
        .map((t, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeHtml(t)}</td>`);
      return `<tr>${c.join('')}<td>${timelineSvg(r)}</td></tr>`;
    });
    parts.push(
      `<h3>${escapeHtml(table.title)}</h3>`,
      `<div class="table-wrap"><table><thead><tr>${HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`,
    );
  }
  if (model.failedWindows.length > 0)
    parts.push(
      '<h3>Failed windows</h3>',
      `<ul>${failedLines(model.failedWindows)
        .map((l) => `<li>${escapeHtml(l)}</li>`)
        .join('')}</ul>`,
    );
  parts.push('</section>');
  return parts.join('\n');
}
