/**
 * Plain-text tables and paragraphs that fit a terminal (#22: run tables were 184 columns, gate tables
 * 268, the ADR conclusion one 848-character line). One helper for every terminal renderer (report,
 * compare, the kinds' sections): aligned columns, and when the table is wider than `width`, its widest
 * columns after the first (the row's name) move to a detail block under it, one line per row, wrapped.
 * `width: Infinity` (--wide) gives the old one-line-per-row layout.
 */

/** The default terminal width every renderer fits (a common minimum of CI logs and split terminals). */
export const TERMINAL_WIDTH = 120;

export interface TextTable {
  headers: readonly string[];
  numeric: readonly boolean[]; // right-aligned
  rows: readonly (readonly string[])[];
  /** Columns that go under the table first when it is too wide (the widest of them first); absent: any. */
  movable?: readonly boolean[];
}

const GAP = '  ';

/** Display width: code points, not UTF-16 units (µ, ×, … are one column each). */
export function displayWidth(text: string): number {
  return [...text].length;
}

const padEnd = (t: string, w: number) => t + ' '.repeat(Math.max(0, w - displayWidth(t)));
const padStart = (t: string, w: number) => ' '.repeat(Math.max(0, w - displayWidth(t))) + t;

/** Greedy word wrap to `width`, continuation lines indented by `indent` spaces; words longer than a line stay whole. */
export function wrapText(text: string, width: number = TERMINAL_WIDTH, indent = 0): string {
  if (!Number.isFinite(width)) return text;
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      const lead = paragraph.match(/^ */)![0];
      for (const word of paragraph.trim().split(/ +/)) {
        const prefix = lines.length === 0 ? lead : ' '.repeat(indent);
        const candidate = line === '' ? prefix + word : `${line} ${word}`;
        if (line !== '' && displayWidth(candidate) > width) {
          lines.push(line);
          line = ' '.repeat(indent) + word;
        } else line = candidate;
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}

function columnWidths(t: TextTable, columns: readonly number[]): number[] {
  return columns.map((i) => Math.max(displayWidth(t.headers[i]!), ...t.rows.map((r) => displayWidth(r[i] ?? ''))));
}

function aligned(t: TextTable, columns: readonly number[]): string[] {
  const widths = columnWidths(t, columns);
  const line = (r: readonly string[]) =>
    columns
      .map((i, k) => (t.numeric[i] ? padStart(r[i] ?? '', widths[k]!) : padEnd(r[i] ?? '', widths[k]!)))
      .join(GAP)
      .trimEnd();
  return [line(t.headers), widths.map((w) => '-'.repeat(w)).join(GAP), ...t.rows.map(line)];
}

/**
 * The table as aligned lines; past `width`, the widest columns (never the first) go to a detail block:
 * "  <row name>: <header> <value> · <header> <value>", wrapped to `width`.
 */
export function renderTextTable(t: TextTable, width: number = TERMINAL_WIDTH): string {
  const all = t.headers.map((_, i) => i);
  const total = (cols: readonly number[]) =>
    columnWidths(t, cols).reduce((a, w) => a + w, 0) + GAP.length * (cols.length - 1);
  const kept = [...all];
  const moved: number[] = [];
  while (kept.length > 2 && total(kept) > width) {
    const widths = columnWidths(t, kept);
    const candidates = kept.map((_, k) => k).filter((k) => k > 0);
    const preferred = candidates.filter((k) => t.movable?.[kept[k]!] ?? true);
    const pool = preferred.length > 0 ? preferred : candidates;
    const widest = pool.reduce((a, k) => (widths[k]! > widths[a]! ? k : a));
    moved.push(kept.splice(widest, 1)[0]!);
  }
  const lines = aligned(t, kept);
  if (moved.length === 0) return lines.join('\n');
  moved.sort((a, b) => a - b);
  const details = t.rows.map((r) => {
    const parts = moved.filter((i) => (r[i] ?? '').trim() !== '').map((i) => `${t.headers[i]}: ${r[i]}`);
    return parts.length === 0 ? '' : wrapText(`  ${r[0]} · ${parts.join(' · ')}`, width, 4);
  });
  return [...lines, ...details.filter(Boolean)].join('\n');
}
