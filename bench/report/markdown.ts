import type { Results } from '../results/types.ts';
import { roundsIntervalText } from '../stats/interval-text.ts';
import { columnsFor, rowName, type Column } from './columns.ts';
import { formatBytes, formatEstimate, formatInt, formatLatencyMs, shellQuote } from './format.ts';
import { ceilingRows, profileMarkdown } from './machine-rows.ts';
import { buildReportModel, type ReportModel, type ReportRow, type ReportTable } from './model.ts';
import { incompleteNote } from './partial.ts';
import { buildResilienceModel, renderResilienceMarkdown } from './resilience.ts';
import { buildMemoryModel, renderMemoryMarkdown } from './memory.ts';
import { harnessWeightLine } from './harness-weight.ts';
import { renderContractDifferencesMarkdown } from './contract-differences.ts';
import { buildToolComparison, renderToolComparisonMarkdown } from './tool-comparison.ts';

/** `report.md`: the same tables as the terminal, plus latency detail, server evidence and provenance. */

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(columns: Column[], rows: readonly ReportRow[]): string {
  const header = `| ${columns.map((c) => escapeCell(c.header)).join(' | ')} |`;
  const rule = `|${columns.map((c) => (c.numeric ? ' --: ' : ' :-- ')).join('|')}|`;
  const body = rows.map((row) => `| ${columns.map((c) => escapeCell(c.value(row)) || ' ').join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

const latencyMs = (us: number | undefined) => (us === undefined ? '–' : formatLatencyMs(us));

/** Per-round medians with intervals, then the percentiles of every response of the cell (histograms merged). */
export function latencyColumns(table: ReportTable): Column[] {
  const interval = roundsIntervalText(table.rounds);
  return [
    { header: 'adapter', numeric: false, value: rowName },
    {
      header: `p50 (median, ${interval})`,
      numeric: true,
      value: (r) => formatEstimate(r.latencyP50Us, formatLatencyMs, 'ms'),
    },
    {
      header: `p99 (median, ${interval})`,
      numeric: true,
      value: (r) => formatEstimate(r.latencyP99Us, formatLatencyMs, 'ms'),
    },
    { header: 'all rounds: p90', numeric: true, value: (r) => latencyMs(r.mergedLatencyUs?.p90) },
    { header: 'p95', numeric: true, value: (r) => latencyMs(r.mergedLatencyUs?.p95) },
    { header: 'p99.9', numeric: true, value: (r) => latencyMs(r.mergedLatencyUs?.p999) },
    { header: 'max', numeric: true, value: (r) => latencyMs(r.mergedLatencyUs?.max) },
  ];
}

export function evidenceColumns(): Column[] {
  return [
    { header: 'adapter', numeric: false, value: rowName },
    { header: 'requests', numeric: true, value: (r) => formatInt(r.requests) },
    {
      header: 'peak RSS',
      numeric: true,
      value: (r) =>
        r.evidence.serverRssBytesMax === null
          ? (r.evidence.processNa ?? 'n/a')
          : formatBytes(r.evidence.serverRssBytesMax),
    },
    {
      header: 'event-loop max delay',
      numeric: true,
      value: (r) =>
        r.evidence.eventLoopMaxDelayMs === null ? 'n/a' : `${r.evidence.eventLoopMaxDelayMs.toFixed(1)} ms`,
    },
    {
      header: 'pool waiting (max)',
      numeric: true,
      value: (r) => (r.evidence.poolWaitingMax === null ? 'n/a' : formatInt(r.evidence.poolWaitingMax)),
    },
    { header: 'DB backends (max)', numeric: true, value: (r) => formatInt(r.evidence.dbBackendsMax) },
    {
      header: 'generator CPU (max)',
      numeric: true,
      value: (r) => `${r.evidence.generatorCpuPercentMax.toFixed(0)}% of a core`,
    },
  ];
}

function tableSection(table: ReportTable): string {
  const rounds = new Set(table.rows.map((r) => r.rounds));
  const roundsNote = rounds.size === 1 ? ` · ${[...rounds][0]} round${[...rounds][0] === 1 ? '' : 's'}` : '';
  return [
    `### ${table.title}${roundsNote}`,
    markdownTable(columnsFor(table), table.rows),
    '<details><summary>Latency detail and server-side evidence</summary>',
    markdownTable(latencyColumns(table), table.rows),
    markdownTable(evidenceColumns(), table.rows),
    harnessWeightLine(table.rows),
    profileMarkdown(table),
    '</details>',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function durationText(startedAt: string, finishedAt: string): string {
  const s = Math.max(0, Math.round((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000));
  if (!Number.isFinite(s)) return '';
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Markdown (bold and italics only): the HTML report renders the same text. */
export const HOW_TO_READ = `Each table compares adapters that ran the same scenario under the same load shape, **slowest
first**. Every number is the **median over rounds** (a round runs every adapter once, in rotated order,
so machine drift hits all of them alike), and the interval in parentheses is named in its column's
header: from 5 rounds a **95% percentile-bootstrap confidence interval** of that median (2,000 resamples
of the rounds, fixed seed); with 3 or 4 rounds the **range** of the rounds ("range, n = 3": the bootstrap
of 3 medians gives min … max, which covers the true median only about 75% of the time, so it is not
called a confidence interval); with fewer than 3 rounds no interval ("no interval, n = 2"): treat such numbers as a
single observation. Latencies are
recorded per response in microseconds (HDR histogram, 3 significant digits) and printed in
milliseconds; p50 and p99 are medians of each round's percentile, and the detail table adds the
percentiles of all rounds' responses together. **Errors** are requests without a response (connection
errors, timeouts) plus non-2xx responses, with their share of all attempts. **Server CPU** is the API
process's user+system CPU time per request. **vs slowest** is a ratio within this run (req/s ÷ the
slowest's req/s; at a fixed arrival rate, the slowest's p99 ÷ this p99; in a gate's tables, vs base), so
1.25× means 25% better; it is the geometric mean of the per-round ratios (rounds paired by number, so
drift that hit both in a round cancels), with a Student t interval from 5 rounds and their range below;
an interval that includes 1.00× means this run cannot tell the two apart. Ratios travel between machines far better than absolute numbers, which hold
only for the machine below; **of this machine's ceiling** reads the cell against a bare node:http server (HTTP; "≤" when its generator, not the server, was the bottleneck: the ceiling is then a floor and the fraction at most the one shown) and PostgreSQL alone running the cell's own scenario's statements at its database concurrency, min(connections, the API's DB connections) (pgbench or the driver loop, without HTTP), measured in the same run. **Generator CPU** is the load tool's CPU per request. Flags: *generator-bound* (the load generator used ≥ 90% of each core it can use, so the
throughput is a floor, not the server's capacity), *invalid for latency* (an open-model run dropped
iterations: it could not keep the schedule, so its latencies understate what users would see),
*machine-saturated* (≥ 90% of all the machine's cores were busy: the generator, the server and PostgreSQL shared what was left), *SLO failed* (a k6 threshold was breached), *aborted* (the run stopped before this cell had all its rounds).`;

/** The environment as label/value pairs, shared with the HTML report. */
export function environmentRows(env: Results['environment']): [string, string][] {
  const drivers =
    Object.entries(env.drivers)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ') || '–';
  return [
    ['CPU', `${env.cpuModel} × ${env.cpus}`],
    ['memory', formatBytes(env.memoryBytes)],
    ['OS', env.os],
    ['Node.js', env.node],
    ['PostgreSQL', env.postgres],
    ['drivers', drivers],
    ['git commit', env.gitCommit ?? 'unknown (not a git checkout)'],
  ];
}

function environmentSection(results: Results): string {
  const rows = [...environmentRows(results.environment), ...ceilingRows(results)];
  return ['| | |', '| :-- | :-- |', ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v)} |`)].join('\n');
}

function jsonBlock(value: unknown): string {
  return '```json\n' + JSON.stringify(value, null, 2) + '\n```';
}

/** The whole `report.md` of a run, as a string (the CLI writes it). */
export function renderMarkdown(results: Results, model: ReportModel = buildReportModel(results)): string {
  const duration = durationText(results.startedAt, results.finishedAt);
  const note = incompleteNote(results);
  const status =
    results.status === 'complete'
      ? 'complete'
      : `${results.status === 'running' ? '**RUNNING** (partial' : '**ABORTED** (partial'}, ${note})`;
  const parts = [
    `# jobbench report: ${results.runId}`,
    [
      `- **status:** ${status}${results.kind ? ` · **kind:** ${results.kind}` : ''}`,
      `- **started:** ${results.startedAt} · **finished:** ${results.finishedAt}${duration ? ` (${duration})` : ''}`,
      `- **cells:** ${results.cells.length}`,
    ].join('\n'),
  ];
  if (results.status === 'aborted') {
    parts.push(
      `> **This run was aborted** (${note}). The tables cover only what was measured before it stopped; cells flagged *aborted* have fewer rounds than the others.`,
    );
  }
  if (results.status === 'running') {
    parts.push(
      `> **Partial results: this run is still running, or was killed** (${note}). The tables cover the windows completed when the file was last written.`,
    );
  }
  parts.push('## Command', '```sh\n' + results.command.map(shellQuote).join(' ') + '\n```');
  parts.push('## Results');
  if (model.tables.length === 0) parts.push('No cells were measured.');
  for (const table of model.tables) parts.push(tableSection(table));
  const tools = renderToolComparisonMarkdown(buildToolComparison(results));
  if (tools) parts.push(tools);
  const memory = renderMemoryMarkdown(buildMemoryModel(results));
  if (memory) parts.push(memory);
  const differences = renderContractDifferencesMarkdown(results);
  if (differences) parts.push(differences);
  if (model.section) parts.push(model.section.markdown.trim());
  const resilience = renderResilienceMarkdown(buildResilienceModel(results));
  if (resilience) parts.push(resilience);
  parts.push('## How to read this', HOW_TO_READ);
  parts.push('## Environment', environmentSection(results));
  parts.push('## Configuration', jsonBlock(results.config));
  // What the kind's section rendered above is not dumped again as raw JSON.
  const rest = Object.fromEntries(Object.entries(results.extra ?? {}).filter(([key]) => key !== model.section?.key));
  if (Object.keys(rest).length > 0) {
    parts.push('## Command-specific analysis', `<details><summary>extra</summary>\n\n${jsonBlock(rest)}\n\n</details>`);
  }
  return parts.join('\n\n') + '\n';
}
