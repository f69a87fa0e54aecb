import { renderTextTable, TERMINAL_WIDTH, wrapText } from '../report/text-table.ts';
import type { Comparison, ComparisonGroup } from './compare.ts';
import { compareColumns, groupRounds, sidesLine, unmatchedLines } from './format.ts';

/**
 * `jobbench compare`'s terminal output: the verdict first, then one table per scenario and load shape
 * (fitting `width`: the widest columns, usually "why", move under the table), and the verdict again as
 * the last line.
 */

// The verdict, the cell, the metric and the change stay in the table; the rest may go under it.
const KEPT = new Set(['verdict', 'adapter', 'metric', 'change']);

function grid(rows: string[][], numeric: readonly boolean[], width: number): string {
  const movable = rows[0]!.map((h) => !KEPT.has(h.split(' ')[0]!));
  return renderTextTable({ headers: rows[0]!, numeric, rows: rows.slice(1), movable }, width);
}

function groupTable(group: ComparisonGroup, width: number): string {
  const columns = compareColumns(groupRounds(group));
  const rows: string[][] = [columns.map((c) => c.header)];
  for (const cell of group.cells) for (const m of cell.metrics) rows.push(columns.map((c) => c.value(cell.name, m)));
  const notes = group.cells.flatMap((c) => c.notes.map((n) => `  note: ${c.name}: ${n}`));
  const rounds = new Set(group.cells.flatMap((c) => c.metrics.map((m) => `${m.baseRounds}/${m.headRounds}`)));
  const roundsNote = rounds.size === 1 ? ` · rounds base/head ${[...rounds][0]}` : '';
  return [
    wrapText(`${group.title}${roundsNote}`, width),
    grid(
      rows,
      columns.map((c) => c.numeric),
      width,
    ),
    ...notes.map((n) => wrapText(n, width, 4)),
  ].join('\n');
}

/** The verdict as one closing line: the headline, cut before its list of regressions when too long. */
export function verdictLine(c: Comparison, width: number = TERMINAL_WIDTH, prefix = ''): string {
  const line = `${prefix}${c.headline}`;
  if ([...line].length <= width) return line;
  const cut = line.indexOf('): ');
  return cut < 0 ? line : `${line.slice(0, cut + 1)}: listed above`;
}

export function renderCompareTerminal(c: Comparison, width: number = TERMINAL_WIDTH): string {
  const parts: string[] = [wrapText(c.headline, width, 2), wrapText(sidesLine(c), width, 2)];
  if (c.environment.note)
    parts.push(wrapText(`${c.environment.advisory ? 'ADVISORY: ' : ''}${c.environment.note}`, width, 2));
  if (c.environment.differences.length > 0) {
    const rows = [['environment', 'base', 'head'], ...c.environment.differences.map((d) => [d.label, d.base, d.head])];
    parts.push(grid(rows, [false, false, false], width));
  }
  for (const group of c.groups) parts.push(groupTable(group, width));
  const unmatched = unmatchedLines(c);
  if (unmatched.length > 0) parts.push(unmatched.map((l) => wrapText(l, width, 2)).join('\n'));
  return parts.join('\n\n') + '\n';
}
