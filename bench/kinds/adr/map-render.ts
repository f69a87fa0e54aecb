import { escapeHtml } from '../../report/html-escape.ts';
import { TERMINAL_WIDTH, wrapText } from '../../report/text-table.ts';
import { pairedRatioText } from '../../stats/interval-text.ts';
import type { PairedRatio } from '../../stats/paired.ts';
import { boundText } from './map-bounds.ts';
import { MAP_VERDICTS, TIE_BAND, type AdrMap, type MapComparison, type MapVerdict } from './map.ts';

/** The map's grids (rows: database latency, columns: concurrency), one per async target × "before". Pure. */

const SIGN: Record<MapVerdict, string> = {
  'async-wins': 'async',
  'before-wins': 'before',
  tie: 'tie',
  inconclusive: '?',
};
const COLOUR: Record<MapVerdict, string> = {
  'async-wins': '#b7e1b0',
  'before-wins': '#f3b6b0',
  tie: '#e6e6e6',
  inconclusive: '#fff4c2',
};

export const latencyText = (l: number | null) => (l === null ? 'as is' : `+${l} ms`);
const crossesOne = (r: PairedRatio) => r.kind !== 'none' && r.lo <= 1 && r.hi >= 1;
const short = (r: PairedRatio) =>
  r.kind === 'none'
    ? 'n/a'
    : `${r.ratio.toFixed(2)}× ${r.kind === 't' ? '' : 'range '}${r.lo.toFixed(2)}–${r.hi.toFixed(2)}`;

/** Every (async target, before) pair in the map, in the order they first appear. */
export function mapPairs(map: AdrMap): { target: string; before: string }[] {
  const seen = new Map<string, { target: string; before: string }>();
  for (const cell of map.cells)
    for (const c of cell.comparisons)
      seen.set(`${c.target.name}\u0000${c.before.name}`, { target: c.target.name, before: c.before.name });
  return [...seen.values()];
}

function at(map: AdrMap, l: number | null, conns: number, pair: { target: string; before: string }) {
  return map.cells
    .find((c) => c.dbLatencyMs === l && c.connections === conns)
    ?.comparisons.find((x) => x.target.name === pair.target && x.before.name === pair.before);
}

/** One grid as rows of strings: header first (the terminal and Markdown lay them out). */
function gridRows(map: AdrMap, pair: { target: string; before: string }): string[][] {
  const head = ['DB latency', ...map.connections.map((c) => `${c} conn`)];
  const rows = map.latenciesMs.map((l) => [
    latencyText(l),
    ...map.connections.map((conns) => {
      const c = at(map, l, conns, pair);
      return c ? `${short(c.throughput)} ${SIGN[c.verdict]}${crossesOne(c.throughput) ? ' ✱' : ''}` : '–';
    }),
  ]);
  return [head, ...rows];
}

const LEGEND = `ratio = throughput async ÷ before (geometric mean of per-round ratios) with its 95% CI (t, ≥ 5 clean rounds) or "range" (fewer); async / before: that side served more with the whole interval past 1; tie: the whole interval within ±${TIE_BAND * 100}%; ?: inconclusive; ✱: the interval crosses 1.`;

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function mapTerminal(map: AdrMap, width: number = TERMINAL_WIDTH): string {
  const grids = mapPairs(map).map((p) => `${p.target} vs ${p.before} · ${map.scenario}\n${pad(gridRows(map, p))}`);
  return [`map: throughput ratio by database latency × concurrency`, ...grids, wrapText(LEGEND, width)].join('\n\n');
}

export function mapMarkdown(map: AdrMap): string {
  const grids = mapPairs(map).map((p) => {
    const [head, ...rows] = gridRows(map, p);
    return [
      `**${p.target} vs ${p.before}** (${map.scenario})`,
      '',
      `| ${head!.join(' | ')} |`,
      `|${head!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  });
  return [...grids, `_${LEGEND}_`, mapDetailMarkdown(map)].join('\n\n');
}

/** Every comparison of the map with its evidence: the p99 at the fixed rate, errors, and the bounds. */
function mapDetailMarkdown(map: AdrMap): string {
  const lines = [
    '| DB latency | conn | async | before | throughput async ÷ before | verdict | p99 at the fixed rate, async ÷ before | errors async / before | bound async | bound before |',
    '|---|---:|---|---|---|---|---|---|---|---|',
  ];
  for (const cell of map.cells)
    for (const c of cell.comparisons) lines.push(detailRow(latencyText(cell.dbLatencyMs), cell.connections, c));
  return lines.join('\n');
}

function detailRow(latency: string, conns: number, c: MapComparison): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const open = c.open
    ? `${pairedRatioText(c.open.p99)} at ${c.open.ratePerS} req/s${c.open.invalid ? ` (invalid: ${c.open.invalid})` : ''}`
    : 'not measured';
  return `| ${latency} | ${conns} | ${c.target.name} | ${c.before.name} (${c.before.style}) | ${pairedRatioText(c.throughput)} | ${c.verdict}: ${c.why} | ${open} | ${pct(c.errorShare.target)} / ${pct(c.errorShare.before)} | ${boundText(c.bounds.target)} | ${boundText(c.bounds.before)} |`;
}

/** The heat map: rows latency, columns concurrency, colour = who wins, ✱ where the interval crosses 1. */
export function mapHtml(map: AdrMap): string {
  const grids = mapPairs(map).map((p) => {
    const head = map.connections.map((c) => `<th scope="col">${c} conn</th>`).join('');
    const rows = map.latenciesMs.map((l) => {
      const tds = map.connections.map((conns) => {
        const c = at(map, l, conns, p);
        if (!c) return '<td>–</td>';
        const title = `${pairedRatioText(c.throughput)}: ${c.verdict} (${c.why}); ${boundText(c.bounds.target)} vs ${boundText(c.bounds.before)}`;
        return `<td style="background:${COLOUR[c.verdict]}" title="${escapeHtml(title)}">${escapeHtml(short(c.throughput))}${crossesOne(c.throughput) ? ' ✱' : ''}<br><small>${escapeHtml(c.verdict)}</small></td>`;
      });
      return `<tr><th scope="row">DB ${escapeHtml(latencyText(l))}</th>${tds.join('')}</tr>`;
    });
    return `<h3>${escapeHtml(`${p.target} vs ${p.before} · ${map.scenario}`)}</h3>\n<table class="heat-map"><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  });
  const legend = Object.entries(MAP_VERDICTS)
    .map(
      ([v, what]) =>
        `<span style="background:${COLOUR[v as MapVerdict]};padding:0 .4em">${escapeHtml(v)}</span> ${escapeHtml(what)}`,
    )
    .join('; ');
  return `<section id="adr-map">\n<h2>ADR-003 map</h2>\n${grids.join('\n')}\n<p>${legend}. ✱: the interval crosses 1.</p>\n</section>`;
}
