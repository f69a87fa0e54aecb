import { formatRatio } from './format.ts';
import { FLAGS, type ReportModel, type ReportTable } from './model.ts';
import { rowName } from './columns.ts';

/**
 * The last line a command prints: its verdict (a kind's section summary: the gate's PASS / REGRESSED)
 * or one line over its tables, e.g. "postgres-js served 3.60× the slowest (pg-sync) on get-job …;
 * pg-sync was machine-saturated". hyperfine's closing line is the model: the answer without scrolling.
 */

const SUMMARY_WIDTH = 120; // the output's width (docs/readme/report.md)

function tableSummary(table: ReportTable): string | null {
  const ranked = table.rows.filter((r) => !r.isSlowest && r.ratioToSlowest !== null);
  const reference = table.rows.find((r) => r.isSlowest);
  if (!reference || ranked.length === 0) return null;
  const best = ranked.reduce((a, b) => (b.ratioToSlowest!.median > a.ratioToSlowest!.median ? b : a));
  const ratio = formatRatio(best.ratioToSlowest!.median);
  const vs = table.reference === 'base' ? 'base' : 'the slowest';
  const what =
    table.ranking === 'throughput' ? `served ${ratio} the req/s of ${vs}` : `had a p99 ${ratio} better than ${vs}`;
  const load = table.targetRate !== undefined ? `${table.targetRate} req/s` : `${table.connections} conn`;
  return `${rowName(best)} ${what} (${rowName(reference)}) on ${table.scenario}, ${load}`;
}

function flaggedText(model: ReportModel): string {
  const byRow = new Map<string, Set<string>>();
  for (const t of model.tables)
    for (const r of t.rows)
      for (const f of r.flags) {
        const set = byRow.get(rowName(r)) ?? new Set<string>();
        set.add(FLAGS[f]);
        byRow.set(rowName(r), set);
      }
  return [...byRow].map(([name, flags]) => `${name} was ${[...flags].join(', ')}`).join('; ');
}

export function summaryLine(model: ReportModel): string {
  if (model.section?.summary) return model.section.summary;
  if (model.tables.length === 0) return 'summary: no cell was measured';
  const lines = model.tables.map(tableSummary).filter((l): l is string => l !== null);
  const more = model.tables.length > 1 ? ` (${model.tables.length} tables above)` : '';
  const flagged = flaggedText(model);
  const head = lines[0] ?? `${model.tables[0]!.rows.length} target(s) measured, nothing to rank`;
  const named = flagged ? `; ${flagged}` : '';
  const counted = flagged ? `; ${flagged.split('; ').length} flagged (see the tables)` : '';
  // One line on a 120-column screen: drop the table count, then count the flagged targets, not name
  // them, then leave the flags to the tables.
  const candidates = [
    `${head}${more}${named}`,
    `${head}${named}`,
    `${head}${more}${counted}`,
    `${head}${counted}`,
    head,
  ];
  return `summary: ${candidates.find((c) => `summary: ${c}`.length <= SUMMARY_WIDTH) ?? head}`;
}
