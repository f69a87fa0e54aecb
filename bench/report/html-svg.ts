import { formatInt } from './format.ts';
import { escapeHtml } from './html-escape.ts';

/**
 * A horizontal bar chart with 95% CI whiskers, as an inline SVG string: drawn once when the report is
 * rendered, so the page needs no JavaScript. Bars start at zero on a linear axis (a bar's length is its
 * value); the exact formatted numbers sit in a column to the right, so nothing is read off the axis.
 * Colours come from CSS classes (`bar-<series>`, `whisker`, `grid`…) defined in the page's style.
 */

export interface ChartBar {
  series: string; // CSS class suffix, e.g. "rps", "p50", "p99"
  value: number; // in axis units
  ci: readonly [number, number] | null; // null: no whisker (fewer than 3 rounds)
  text: string; // the formatted value with its unit and interval
}

export interface ChartRow {
  name: string;
  flagged: boolean; // drawn hatched-looking (dashed outline, lighter fill) so a floor is not read as a peak
  note: string; // tooltip after the name (flags)
  bars: ChartBar[];
}

export interface BarChartSpec {
  title: string; // accessible name of the image
  axisLabel: string; // says the unit
  rows: ChartRow[];
  reference?: { value: number; text: string }; // a dashed vertical line, e.g. the k6 target rate
}

const WIDTH_PX = 760;
const CHAR_PX = 6.8; // average glyph advance of the 12px sans-serif the CSS asks for (an estimate: no layout here)
const NAME_MAX_CHARS = 30;
const BAR_PX = 14;
const BAR_GAP_PX = 3;
const ROW_PAD_PX = 12;
const AXIS_PX = 44;

const finite = (n: number) => (Number.isFinite(n) ? n : 0);
const px = (n: number) => Number(n.toFixed(1)).toString();
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Axis ticks at 1, 2, 2.5 or 5 × 10^k, from 0 to just past `max`. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const count = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

function tickText(value: number): string {
  return value >= 1000 ? formatInt(value) : String(value);
}

function truncate(name: string): string {
  return name.length <= NAME_MAX_CHARS ? name : `${name.slice(0, NAME_MAX_CHARS - 1)}…`;
}

export function barChartSvg(spec: BarChartSpec): string {
  const names = spec.rows.map((r) => truncate(r.name) + (r.flagged ? ' ⚠' : ''));
  const texts = spec.rows.flatMap((r) => r.bars.map((b) => b.text));
  const nameW = clamp(Math.ceil(Math.max(0, ...names.map((n) => n.length)) * CHAR_PX) + 14, 72, 230);
  const valueW = clamp(Math.ceil(Math.max(0, ...texts.map((t) => t.length)) * CHAR_PX * 0.95) + 16, 120, 270);
  const x0 = nameW;
  const x1 = WIDTH_PX - valueW;
  const top = spec.reference ? 24 : 8;

  const extent = spec.rows.flatMap((r) => r.bars.flatMap((b) => [finite(b.value), ...(b.ci ? b.ci.map(finite) : [])]));
  if (spec.reference) extent.push(finite(spec.reference.value));
  const ticks = niceTicks(Math.max(0, ...extent));
  const domainMax = ticks[ticks.length - 1]!;
  const scale = (v: number) => x0 + (clamp(finite(v), 0, domainMax) / domainMax) * (x1 - x0);

  const bands: string[] = [];
  const marks: string[] = [];
  let y = top;
  spec.rows.forEach((row, i) => {
    const rowH = ROW_PAD_PX + row.bars.length * BAR_PX + (row.bars.length - 1) * BAR_GAP_PX;
    if (i % 2 === 1) bands.push(`<rect class="band" x="0" y="${px(y)}" width="${WIDTH_PX}" height="${px(rowH)}"/>`);
    const tooltip = row.note ? `${row.name} — ${row.note}` : row.name;
    marks.push(
      `<text class="name" x="${px(nameW - 8)}" y="${px(y + rowH / 2)}" dy="0.35em" text-anchor="end"><title>${escapeHtml(tooltip)}</title>${escapeHtml(names[i]!)}</text>`,
    );
    row.bars.forEach((bar, j) => {
      const barY = y + ROW_PAD_PX / 2 + j * (BAR_PX + BAR_GAP_PX);
      const mid = barY + BAR_PX / 2;
      const raw = scale(bar.value) - x0;
      const width = finite(bar.value) > 0 ? Math.max(1, raw) : 0; // a tiny non-zero value stays visible
      marks.push(
        `<rect class="bar bar-${escapeHtml(bar.series)}${row.flagged ? ' flagged' : ''}" x="${px(x0)}" y="${px(barY)}" width="${px(width)}" height="${BAR_PX}"><title>${escapeHtml(`${row.name}: ${bar.text}`)}</title></rect>`,
      );
      if (bar.ci) {
        const [lo, hi] = [scale(bar.ci[0]), scale(bar.ci[1])];
        const capY0 = px(mid - BAR_PX * 0.35);
        const capY1 = px(mid + BAR_PX * 0.35);
        const d = `M${px(lo)} ${px(mid)}H${px(hi)}M${px(lo)} ${capY0}V${capY1}M${px(hi)} ${capY0}V${capY1}`;
        // A background-coloured halo under the whisker keeps it visible over a bar of any colour.
        marks.push(`<path class="whisker-halo" d="${d}"/>`, `<path class="whisker" d="${d}"/>`);
      }
      marks.push(`<text class="value" x="${px(x1 + 8)}" y="${px(mid)}" dy="0.35em">${escapeHtml(bar.text)}</text>`);
    });
    y += rowH;
  });

  const plotBottom = y;
  const grid = ticks.map((t) => {
    const x = px(scale(t));
    return `<line class="grid" x1="${x}" y1="${px(top)}" x2="${x}" y2="${px(plotBottom)}"/><text class="tick" x="${x}" y="${px(plotBottom + 14)}" text-anchor="middle">${escapeHtml(tickText(t))}</text>`;
  });
  if (spec.reference) {
    const x = px(scale(spec.reference.value));
    grid.push(
      `<line class="reference" x1="${x}" y1="${px(top - 4)}" x2="${x}" y2="${px(plotBottom)}"/><text class="reference-label" x="${x}" y="${px(top - 8)}" text-anchor="middle">${escapeHtml(spec.reference.text)}</text>`,
    );
  }
  const axisLabel = `<text class="axis-label" x="${px((x0 + x1) / 2)}" y="${px(plotBottom + 34)}" text-anchor="middle">${escapeHtml(spec.axisLabel)}</text>`;
  const height = Math.ceil(plotBottom + AXIS_PX);
  const title = escapeHtml(spec.title);
  return [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH_PX} ${height}" width="${WIDTH_PX}" height="${height}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    // Painted in order: row bands, grid lines, then bars, whiskers and text over them.
    ...bands,
    ...grid,
    ...marks,
    axisLabel,
    '</svg>',
  ].join('\n');
}
