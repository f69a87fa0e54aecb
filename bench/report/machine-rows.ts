/** The machine's ceilings and fingerprint as label/value rows of the environment section, and profiles. Pure. */
import type { Results } from '../results/types.ts';
import { formatInt, formatRate } from './format.ts';
import type { ReportTable } from './model.ts';
import { rowName } from './columns.ts';

export function ceilingRows(results: Pick<Results, 'ceilings'>): [string, string][] {
  const c = results.ceilings;
  if (!c) return [];
  const rows: [string, string][] = [];
  const https = c.httpByTool ?? [c.http];
  for (const h of https)
    rows.push([
      c.httpByTool ? `HTTP ceiling (${h?.tool})` : 'HTTP ceiling',
      h
        ? `${formatRate(h.requestsPerSec)}: bare node:http /health, ${h.tool}, ${h.connections} connections, ${h.durationS.toFixed(1)} s (generator ${Math.round(h.generatorCpuPercent)}% of a core)${h.affinity ? ` · pinned: server CPUs ${h.affinity.server}, generator ${h.affinity.generator}` : ''}`
        : 'not measured',
    ]);
  rows.push([
    'DB ceiling',
    c.db
      ? `${formatInt(Math.round(c.db.transactionsPerSec))} tx/s: get-job's query, ${c.db.method} (${c.db.protocol}), ${c.db.clients} clients${c.db.requestedClients ? ` (capped from ${c.db.requestedClients}: max_connections)` : ''}, ${c.db.durationS.toFixed(1)} s, ${Math.round(c.db.latencyAvgUs)} µs average${c.db.affinity ? ` · pinned: client CPUs ${c.db.affinity.client}, PostgreSQL ${c.db.affinity.db ?? 'not pinned'}` : ''}`
      : 'not measured',
  ]);
  const f = c.fingerprint;
  rows.push([
    'fingerprint',
    `loopback round trip ${f.loopbackRoundTripUs.toFixed(1)} µs · syscall ${Math.round(f.syscallNs)} ns (${f.syscallProbe}) · single core ${formatInt(Math.round(f.singleCoreOpsPerSec))} ops/s`,
  ]);
  if (c.notes.length > 0) rows.push(['ceiling notes', c.notes.join('; ')]);
  return rows;
}

/** Markdown: per row of a table, the server's top self-time functions over its profiled rounds. */
export function profileMarkdown(table: ReportTable): string {
  const rows = table.rows.filter((r) => r.extras?.topSelf);
  if (rows.length === 0) return '';
  const lines = ['| adapter | function | where | self time | share |', '| :-- | :-- | :-- | --: | --: |'];
  for (const row of rows)
    for (const f of row.extras!.topSelf!)
      lines.push(
        `| ${rowName(row)} | \`${f.functionName.replace(/\|/g, '\\|')}\` | ${f.url ? `${f.url}:${f.line}` : '(V8)'} | ${f.selfMs.toFixed(1)} ms | ${f.selfPercent.toFixed(1)}% |`,
      );
  return [
    "Where the server's time went (top self-time functions of its CPU profiles, all rounds):",
    lines.join('\n'),
  ].join('\n\n');
}
