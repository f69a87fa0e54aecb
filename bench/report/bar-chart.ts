/**
 * Horizontal bar charts in plain text (no colour codes: output is also piped and logged). One line per
 * x value (pool size, or connections), with two bars side by side: throughput scaled to its maximum,
 * and p99 scaled to max(p99, SLO) with the SLO marked, so the knee and the SLO break show at a glance.
 */

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max × width` cells, with eighth-cell precision, padded to `width`. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0)) return ' '.repeat(width);
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  const text = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
  return text.padEnd(width);
}

export interface ChartRow {
  x: number;
  marker?: string; // one character shown before x (e.g. ★ for the recommended pool)
  requestsPerSec: number;
  p99Ms: number;
  note?: string; // after the p99 value
}

export interface ChartOptions {
  xLabel: string; // "pool", "conn"
  sloP99Ms: number;
  barWidth?: number; // default 24
}

const fmtRps = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

/** The chart as lines of text (pure). */
export function renderBarChart(rows: readonly ChartRow[], options: ChartOptions): string {
  const width = options.barWidth ?? 24;
  const maxRps = Math.max(0, ...rows.map((r) => r.requestsPerSec));
  const p99Scale = Math.max(options.sloP99Ms, ...rows.map((r) => r.p99Ms)) * 1.05;
  const sloColumn = Math.min(width - 1, Math.round((options.sloP99Ms / p99Scale) * width));
  const xWidth = Math.max(options.xLabel.length, ...rows.map((r) => String(r.x).length)) + 2;
  const rpsWidth = Math.max(5, ...rows.map((r) => fmtRps(r.requestsPerSec).length));
  const header =
    `${options.xLabel.padStart(xWidth)}  ${'throughput (req/s)'.padEnd(width)}  ${''.padStart(rpsWidth)}   ` +
    `${`p99 (ms), ┆ = SLO ${options.sloP99Ms} ms`.padEnd(width)}`;
  const lines = rows.map((r) => {
    const p99Bar = [...bar(r.p99Ms, p99Scale, width)];
    if (p99Bar[sloColumn] === ' ') p99Bar[sloColumn] = '┆';
    const x = `${r.marker ?? ' '} ${r.x}`.padStart(xWidth);
    const over = r.p99Ms > options.sloP99Ms ? ' > SLO' : '';
    return `${x}  ${bar(r.requestsPerSec, maxRps, width)}  ${fmtRps(r.requestsPerSec).padStart(rpsWidth)}   ${p99Bar.join('')}  ${fmtMs(r.p99Ms)} ms${over}${r.note ? `  ${r.note}` : ''}`.trimEnd();
  });
  return [header.trimEnd(), ...lines].join('\n');
}
