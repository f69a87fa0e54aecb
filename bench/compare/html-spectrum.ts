import { formatInt } from '../report/format.ts';
import { escapeHtml } from '../report/html-escape.ts';
import { niceTicks } from '../report/html-svg.ts';
import { ninesLabel, type Spectrum } from './spectrum.ts';

/**
 * The latency percentile spectrum of base and head as an inline SVG line chart: x is the percentile
 * on HdrHistogram's log "nines" axis (0%, 90%, 99%, 99.9% … evenly spaced), y the latency in ms on a
 * linear axis from zero. Drawn once at render time: no script.
 */

const W = 760;
const H = 300;
const LEFT = 64;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 44;
const px = (n: number) => Number(n.toFixed(1)).toString();

export function spectrumSvg(title: string, sides: { base: Spectrum | null; head: Spectrum | null }): string {
  const series = (['base', 'head'] as const).filter((s) => sides[s] !== null);
  if (series.length === 0) return '';
  const maxNines = Math.max(1, ...series.map((s) => sides[s]!.points.at(-1)!.nines));
  const maxMs = Math.max(...series.flatMap((s) => sides[s]!.points.map((p) => p.latencyUs / 1000)));
  const yTicks = niceTicks(maxMs);
  const yMax = yTicks.at(-1)!;
  const x = (nines: number) => LEFT + (nines / Math.ceil(maxNines)) * (W - LEFT - RIGHT);
  const y = (ms: number) => TOP + (1 - ms / yMax) * (H - TOP - BOTTOM);
  const grid: string[] = [];
  for (let k = 0; k <= Math.ceil(maxNines); k++) {
    grid.push(
      `<line class="grid" x1="${px(x(k))}" y1="${TOP}" x2="${px(x(k))}" y2="${H - BOTTOM}"/><text class="tick" x="${px(x(k))}" y="${H - BOTTOM + 14}" text-anchor="middle">${ninesLabel(k)}</text>`,
    );
  }
  for (const t of yTicks) {
    grid.push(
      `<line class="grid" x1="${LEFT}" y1="${px(y(t))}" x2="${W - RIGHT}" y2="${px(y(t))}"/><text class="tick" x="${LEFT - 6}" y="${px(y(t))}" dy="0.35em" text-anchor="end">${t >= 1000 ? formatInt(t) : t}</text>`,
    );
  }
  const lines = series.map((s) => {
    const d = sides[s]!.points.map(
      (p, i) => `${i === 0 ? 'M' : 'L'}${px(x(p.nines))} ${px(y(p.latencyUs / 1000))}`,
    ).join('');
    return `<path class="spectrum spectrum-${s}" d="${d}"><title>${s}: ${formatInt(sides[s]!.responses)} responses</title></path>`;
  });
  return [
    `<svg class="chart spectrum-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    ...grid,
    ...lines,
    `<text class="axis-label" x="${px((LEFT + W - RIGHT) / 2)}" y="${H - 8}" text-anchor="middle">percentile (log scale of nines)</text>`,
    `<text class="axis-label" x="14" y="${px((TOP + H - BOTTOM) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${px((TOP + H - BOTTOM) / 2)})">latency, ms</text>`,
    '</svg>',
  ].join('\n');
}
