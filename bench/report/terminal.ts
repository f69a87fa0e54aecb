import type { Results } from '../results/types.ts';
import { renderContractDifferencesTerminal } from './contract-differences.ts';
import { columnsFor } from './columns.ts';
import { renderTextTable, TERMINAL_WIDTH, wrapText } from './text-table.ts';
export { summaryLine } from './summary.ts';
import { buildReportModel, type ReportModel, type ReportTable } from './model.ts';
import { floorNote } from './machine-rows.ts';
import { partialBanner } from './partial.ts';
import { buildResilienceModel, renderResilienceTerminal } from './resilience.ts';
import { buildMemoryModel, renderMemoryTerminal } from './memory.ts';
import { buildToolComparison, renderToolComparisonTerminal } from './tool-comparison.ts';

/** Column-aligned plain text (no colour codes: the output is also piped and logged), fitting `width`. */
function renderTable(table: ReportTable, width: number): string {
  const columns = columnsFor(table);
  const text = renderTextTable(
    {
      headers: columns.map((c) => c.header),
      numeric: columns.map((c) => c.numeric),
      movable: columns.map((c) => c.detail === true),
      rows: table.rows.map((row) => columns.map((c) => c.value(row))),
    },
    width,
  );
  const rounds = new Set(table.rows.map((r) => r.rounds));
  const roundsNote = rounds.size === 1 ? ` · ${[...rounds][0]} round${[...rounds][0] === 1 ? '' : 's'}` : '';
  return `${wrapText(`${table.title}${roundsNote}`, width)}\n${text}`;
}

/** The terminal tables of a run, one per scenario and load shape, adapters slowest first. */
export function renderTerminal(
  results: Results,
  model: ReportModel = buildReportModel(results),
  width: number = TERMINAL_WIDTH,
): string {
  const parts: string[] = [];
  const banner = partialBanner(results);
  if (banner) parts.push(banner);
  if (model.tables.length === 0) parts.push('No cells were measured.');
  for (const table of model.tables) parts.push(renderTable(table, width));
  const atMost = model.tables.some((t) => t.rows.some((r) => r.extras?.ceiling?.httpAtMost));
  const floor = floorNote(results, atMost);
  if (floor) parts.push(wrapText(floor, width));
  const tools = renderToolComparisonTerminal(buildToolComparison(results));
  if (tools) parts.push(tools);
  const memory = renderMemoryTerminal(buildMemoryModel(results));
  if (memory) parts.push(memory);
  const differences = renderContractDifferencesTerminal(results);
  if (differences) parts.push(differences);
  if (model.section) parts.push(model.section.terminal.trim());
  const resilience = renderResilienceTerminal(buildResilienceModel(results));
  if (resilience) parts.push(resilience);
  return parts.join('\n\n') + '\n';
}
