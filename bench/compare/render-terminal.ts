import type { Comparison, ComparisonGroup } from './compare.ts';
import { compareColumns, groupRounds, sidesLine, unmatchedLines } from './format.ts';

/** `jobbench compare`'s terminal output: the verdict first, then one table per scenario and load shape. */

function grid(rows: string[][], numeric: readonly boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((t, i) => (numeric[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

function groupTable(group: ComparisonGroup): string {
  const columns = compareColumns(groupRounds(group));
  const rows: string[][] = [columns.map((c) => c.header)];
  for (const cell of group.cells) for (const m of cell.metrics) rows.push(columns.map((c) => c.value(cell.name, m)));
  const notes = group.cells.flatMap((c) => c.notes.map((n) => `  note: ${c.name}: ${n}`));
  const rounds = new Set(group.cells.flatMap((c) => c.metrics.map((m) => `${m.baseRounds}/${m.headRounds}`)));
  const roundsNote = rounds.size === 1 ? ` · rounds base/head ${[...rounds][0]}` : '';
  return [
    `${group.title}${roundsNote}`,
    grid(
      rows,
      columns.map((c) => c.numeric),
    ),
    ...notes,
  ].join('\n');
}

export function renderCompareTerminal(c: Comparison): string {
  const parts: string[] = [c.headline, sidesLine(c)];
  if (c.environment.note) parts.push(`${c.environment.advisory ? 'ADVISORY: ' : ''}${c.environment.note}`);
  if (c.environment.differences.length > 0) {
    const rows = [['environment', 'base', 'head'], ...c.environment.differences.map((d) => [d.label, d.base, d.head])];
    parts.push(grid(rows, [false, false, false]));
  }
  for (const group of c.groups) parts.push(groupTable(group));
  const unmatched = unmatchedLines(c);
  if (unmatched.length > 0) parts.push(unmatched.join('\n'));
  return parts.join('\n\n') + '\n';
}
