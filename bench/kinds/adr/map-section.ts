import type { AdrPathMap } from './analyze.ts';
import { mapHtml, mapMarkdown, mapTerminal } from './map-render.ts';
import { TERMINAL_WIDTH, wrapText } from '../../report/text-table.ts';

/** The maps of one stack as report parts: a heading, the grids, and the conclusion generated from them. */
export function mapsMarkdown(maps: readonly AdrPathMap[] | undefined): string[] {
  if (!maps || maps.every((m) => m.map.cells.every((c) => c.comparisons.length === 0))) return [];
  return maps.flatMap((m) => [
    `### The map: ${m.path} (database latency × concurrency)`,
    mapMarkdown(m.map),
    `**What the map says (${m.path}).**\n\n${m.conclusion}`,
  ]);
}

/** The grids, their legend and the conclusion, prose wrapped to `width` (Infinity: --wide). */
export function mapsTerminal(maps: readonly AdrPathMap[] | undefined, width: number = TERMINAL_WIDTH): string[] {
  if (!maps) return [];
  return maps
    .filter((m) => m.map.cells.some((c) => c.comparisons.length > 0))
    .flatMap((m) => [mapTerminal(m.map, width), wrapText(`What the map says (${m.path}):\n${m.conclusion}`, width, 2)]);
}

/** The heat maps for report.html (empty when there is no comparison to draw). */
export function mapsHtml(maps: readonly AdrPathMap[]): string {
  return maps
    .filter((m) => m.map.cells.some((c) => c.comparisons.length > 0))
    .map((m) => mapHtml(m.map))
    .join('\n');
}
