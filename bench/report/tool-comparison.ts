/**
 * A run with several load tools (`--tool autocannon,wrk`) measured every cell with each of them, in the
 * same rounds: this section puts the tools side by side on the same cells (throughput, the generator's
 * CPU per request, the fraction of each tool's own HTTP ceiling) with the ratio of their throughputs
 * from per-round pairs (round k of both tools saw the same machine state: DESIGN.md rule 3). Pure.
 */
import type { Cell, Estimate, Results, Tool } from '../results/types.ts';
import { medianCi } from '../stats/bootstrap.ts';
import { cellExtras, ceilingText } from './cell-extras.ts';
import { formatCpuUsPerRequest, formatEstimate, formatRate, formatRatio } from './format.ts';
import { escapeHtml } from './html-escape.ts';

export interface ToolCell {
  tool: Tool;
  requestsPerSec: Estimate;
  generatorUsPerRequest: number | null; // median over rounds; null: not recorded
  ceiling: string; // "12% of HTTP" against this tool's own ceiling, or ''
  flags: string[]; // generator-bound, machine-saturated
}

export interface ToolComparisonRow {
  name: string; // adapter, with its label
  scenario: string;
  connections: number;
  byTool: (ToolCell | null)[]; // in the order of ToolComparison.tools; null: this tool has no such cell
  ratios: (Estimate | null)[]; // req/s of tools[i + 1] ÷ tools[0], median of per-round ratios
}

export interface ToolComparison {
  tools: Tool[]; // in the order they first appear in the run
  rows: ToolComparisonRow[];
}

/** Everything that identifies a cell but its tool. */
function sameCellKey(c: Cell): string {
  return JSON.stringify([
    c.adapter,
    c.label ?? null,
    c.scenario,
    c.connections,
    c.poolMax,
    c.targetRate ?? null,
    c.thinkTimeMs ?? null,
    c.via ?? null,
    c.metrics ?? null,
    c.fault ?? null,
    c.side ?? null,
  ]);
}

/** Per-round ratios b/a over the rounds both cells measured. */
function pairedRatio(a: Cell, b: Cell): Estimate | null {
  const byRound = new Map(a.rounds.map((r) => [r.round, r.requestsPerSec]));
  const ratios = b.rounds
    .filter((r) => (byRound.get(r.round) ?? 0) > 0)
    .map((r) => r.requestsPerSec / byRound.get(r.round)!);
  return ratios.length === 0 ? null : medianCi(ratios);
}

function toolCell(cell: Cell, results: Results): ToolCell {
  const extras = cellExtras(cell, results);
  const flags = [
    cell.rounds.some((r) => r.generatorBound) ? 'generator-bound' : '',
    cell.rounds.some((r) => r.machineSaturated === true) ? 'machine-saturated' : '',
  ].filter(Boolean);
  return {
    tool: cell.tool,
    requestsPerSec: cell.summary.requestsPerSec,
    generatorUsPerRequest: extras.generatorUsPerRequest ?? null,
    ceiling: ceilingText(extras.ceiling),
    flags,
  };
}

/** undefined when the run used one tool (the usual case: no section). */
export function buildToolComparison(results: Results): ToolComparison | undefined {
  const measured = results.cells.filter((c) => c.rounds.length > 0);
  const tools = [...new Set(measured.map((c) => c.tool))];
  if (tools.length < 2) return undefined;
  const groups = new Map<string, Cell[]>();
  for (const cell of measured) groups.set(sameCellKey(cell), [...(groups.get(sameCellKey(cell)) ?? []), cell]);
  const rows: ToolComparisonRow[] = [];
  for (const cells of groups.values()) {
    if (new Set(cells.map((c) => c.tool)).size < 2) continue;
    const of = (tool: Tool) => cells.find((c) => c.tool === tool);
    const first = of(tools[0]!);
    const c0 = cells[0]!;
    rows.push({
      name: c0.label === undefined ? c0.adapter : `${c0.adapter} (${c0.label})`,
      scenario: c0.scenario,
      connections: c0.connections,
      byTool: tools.map((t) => (of(t) ? toolCell(of(t)!, results) : null)),
      ratios: tools.slice(1).map((t) => (first && of(t) ? pairedRatio(first, of(t)!) : null)),
    });
  }
  return { tools, rows };
}

const NOTE =
  "Every cell measured with each load tool in the same rounds (tools interleaved like the targets). The fraction of the ceiling is against that tool's own bare node:http ceiling; the ratio is the median of per-round ratios of req/s, with its interval (a 95% interval from 5 rounds, the range of the rounds below): a cheaper generator leaves more of the machine to the server.";

function headers(c: ToolComparison): string[] {
  return [
    'scenario',
    'adapter',
    'connections',
    ...c.tools.flatMap((t) => [`${t} req/s`, `${t} generator CPU`, `${t} of ceiling`]),
    ...c.tools.slice(1).map((t) => `${t} ÷ ${c.tools[0]} req/s`),
  ];
}

function cells(row: ToolComparisonRow): string[] {
  return [
    row.scenario,
    row.name,
    String(row.connections),
    ...row.byTool.flatMap((t) =>
      t === null
        ? ['–', '–', '–']
        : [
            formatEstimate(t.requestsPerSec, formatRate, 'req/s') + (t.flags.length ? ` (${t.flags.join(', ')})` : ''),
            t.generatorUsPerRequest === null ? 'n/a' : formatCpuUsPerRequest(t.generatorUsPerRequest),
            t.ceiling || 'n/a',
          ],
    ),
    ...row.ratios.map((r) => (r === null ? 'n/a' : formatEstimate(r, formatRatio, '×'))),
  ];
}

export function renderToolComparisonMarkdown(c: ToolComparison | undefined): string {
  if (!c || c.rows.length === 0) return '';
  const line = (r: string[]) => `| ${r.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  const h = headers(c);
  return [
    '## Load tools on the same cells',
    NOTE,
    [line(h), line(h.map((_, i) => (i < 2 ? ':--' : '--:'))), ...c.rows.map((r) => line(cells(r)))].join('\n'),
  ].join('\n\n');
}

export function renderToolComparisonTerminal(c: ToolComparison | undefined): string {
  if (!c || c.rows.length === 0) return '';
  const grid = [headers(c), ...c.rows.map(cells)];
  const widths = grid[0]!.map((_, i) => Math.max(...grid.map((r) => r[i]!.length)));
  const text = grid.map((r) =>
    r
      .map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  text.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return ['Load tools on the same cells', ...text, '', NOTE].join('\n');
}

export function renderToolComparisonHtml(c: ToolComparison | undefined): string {
  if (!c || c.rows.length === 0) return '';
  const th = headers(c)
    .map((x) => `<th>${escapeHtml(x)}</th>`)
    .join('');
  const body = c.rows
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((x, i) => `<td${i > 1 ? ' class="num"' : ''}>${escapeHtml(x)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<section id="tools">\n<h2>Load tools on the same cells</h2>\n<p class="prose">${escapeHtml(NOTE)}</p>\n<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>\n</section>`;
}
