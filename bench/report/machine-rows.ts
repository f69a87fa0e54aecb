/** The machine's ceilings and fingerprint as label/value rows of the environment section, and profiles. Pure. */
import { httpCeilingIsFloor } from '../ceilings/fraction.ts';
import type { DbCeiling } from '../results/ceilings.ts';
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
        ? `${httpCeilingIsFloor(h) ? '≥ ' : ''}${formatRate(h.requestsPerSec)}: bare node:http /health, ${h.tool}${h.workers ? ` ×${h.workers} processes` : ''}, ${h.connections} connections, ${h.durationS.toFixed(1)} s (generator ${Math.round(h.generatorCpuPercent)}% of a core${h.serverCpuPercent === undefined ? '' : `, bare server ${Math.round(h.serverCpuPercent)}%`})${httpCeilingIsFloor(h) ? ' · a floor, not a ceiling: fractions of it are upper bounds (≤)' : ''}${h.affinity ? ` · pinned: server CPUs ${h.affinity.server}, generator ${h.affinity.generator}` : ''}`
        : 'not measured',
    ]);
  for (const db of c.dbByScenario ?? [c.db]) rows.push(dbRow(db));
  const f = c.fingerprint;
  rows.push([
    'fingerprint',
    `loopback round trip ${f.loopbackRoundTripUs.toFixed(1)} µs · syscall ${Math.round(f.syscallNs)} ns (${f.syscallProbe}) · single core ${formatInt(Math.round(f.singleCoreOpsPerSec))} ops/s`,
  ]);
  if (c.notes.length > 0) rows.push(['ceiling notes', c.notes.join('; ')]);
  return rows;
}

/**
 * One line for the terminal when some cell's HTTP fraction is an upper bound: why its ceiling is a floor.
 * (report.md and report.html say it in their ceiling rows and notes.)
 */
export function floorNote(results: Pick<Results, 'ceilings'>, anyAtMost: boolean): string {
  const floors = (results.ceilings?.httpByTool ?? [results.ceilings?.http]).filter(
    (h): h is NonNullable<typeof h> => !!h && httpCeilingIsFloor(h),
  );
  if (!anyAtMost || floors.length === 0) return '';
  return `≤ of HTTP: the HTTP ceiling is a floor (${floors.map((h) => h.floorReason ?? `${h.tool}: generator at ${Math.round(h.generatorCpuPercent)}% of a core`).join('; ')}), so each fraction of it is at most the one shown.`;
}

function dbRow(db: DbCeiling | null): [string, string] {
  if (!db) return ['DB ceiling', 'not measured'];
  const scenario = db.scenario ?? 'get-job';
  const what = db.scenario ? `${scenario}'s statements` : "get-job's query";
  return [
    `DB ceiling (${scenario})`,
    `${db.boundBy === 'client' ? '≥ ' : ''}${formatInt(Math.round(db.transactionsPerSec))} statements/s: PostgreSQL alone running ${what}, ${db.method} (${db.protocol}${db.distinctStatements && db.distinctStatements > 1 ? `, ${db.distinctStatements} distinct texts` : ''}), ${db.clients} clients${db.requestedClients ? ` (capped from ${db.requestedClients}: max_connections)` : ''}, ${db.durationS.toFixed(1)} s, ${Math.round(db.latencyAvgUs)} µs average${db.affinity ? ` · pinned: client CPUs ${db.affinity.client}, PostgreSQL ${db.affinity.db ?? 'not pinned'}` : ''}${db.clientCpuPercent === undefined ? '' : ` · the loop ${Math.round(db.clientCpuPercent)}% of a core${db.boundBy === 'client' ? ': a floor (the client may have been the bottleneck), fractions of it ≤' : ''}`}${db.script && db.method === 'driver-loop' ? ` · ${db.script}` : ''}`,
  ];
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
