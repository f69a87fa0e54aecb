import type { Results } from '../results/types.ts';
import { renderContractDifferencesTerminal } from './contract-differences.ts';
import { columnsFor } from './columns.ts';
import { buildReportModel, type ReportModel, type ReportTable } from './model.ts';
import { floorNote } from './machine-rows.ts';
import { partialBanner } from './partial.ts';
import { buildResilienceModel, renderResilienceTerminal } from './resilience.ts';
import { buildMemoryModel, renderMemoryTerminal } from './memory.ts';
import { buildToolComparison, renderToolComparisonTerminal } from './tool-comparison.ts';

/** Column-aligned plain text (no colour codes: the output is also piped and logged). */
function renderTable(table: ReportTable): string {
  const columns = columnsFor(table);
  const grid = [columns.map((c) => c.header), ...table.rows.map((row) => columns.map((c) => c.value(row)))];
  const widths = columns.map((_, i) => Math.max(...grid.map((line) => line[i]!.length)));
  const lines = grid.map((line) =>
    line
      .map((text, i) => (columns[i]!.numeric ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const rounds = new Set(table.rows.map((r) => r.rounds));
  const roundsNote = rounds.size === 1 ? ` · ${[...rounds][0]} round${[...rounds][0] === 1 ? '' : 's'}` : '';
  return `${table.title}${roundsNote}\n${lines.join('\n')}`;
}

/** The terminal tables of a run, one per scenario and load shape, adapters slowest first. */
export function renderTerminal(results: Results, model: ReportModel = buildReportModel(results)): string {
  const parts: string[] = [];
  const banner = partialBanner(results);
  if (banner) parts.push(banner);
  if (model.tables.length === 0) parts.push('No cells were measured.');
  for (const table of model.tables) parts.push(renderTable(table));
  const atMost = model.tables.some((t) => t.rows.some((r) => r.extras?.ceiling?.httpAtMost));
  const floor = floorNote(results, atMost);
  if (floor) parts.push(floor);
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
