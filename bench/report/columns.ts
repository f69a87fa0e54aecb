import { roundsIntervalText } from '../stats/interval-text.ts';
import { ceilingText } from './cell-extras.ts';
import { FLAGS, type ReportRow, type ReportTable } from './model.ts';
import {
  formatCpuUsPerRequest,
  formatEstimate,
  formatInt,
  formatLatencyMs,
  formatPercent,
  formatRate,
  formatRatio,
} from './format.ts';

/**
 * The columns of a results table, shared by the terminal and Markdown renderers so that both show
 * the same numbers. Each column: a header and a formatter; `numeric` columns are right-aligned.
 */
export interface Column {
  header: string;
  numeric: boolean;
  detail?: boolean; // a terminal too narrow for the table prints it under the table first (bench/report/text-table.ts)
  value(row: ReportRow): string;
}

export function rowName(row: ReportRow): string {
  return row.label === undefined ? row.adapter : `${row.adapter} (${row.label})`;
}

export function flagText(row: ReportRow): string {
  return row.flags
    .map((flag) =>
      flag === 'invalid-for-latency' && (row.droppedIterations ?? 0) > 0
        ? `${FLAGS[flag]} (${formatInt(row.droppedIterations!)} dropped iterations)`
        : FLAGS[flag],
    )
    .join(', ');
}

function errorsText(row: ReportRow): string {
  const failed = row.errors + row.non2xx;
  if (failed === 0) return '0';
  const parts = [
    row.errors > 0 ? `${formatInt(row.errors)} err` : '',
    row.non2xx > 0 ? `${formatInt(row.non2xx)} non-2xx` : '',
  ].filter(Boolean);
  return `${parts.join(' + ')} (${formatPercent(row.errorRate)})`;
}

function ratioText(row: ReportRow, table: ReportTable): string {
  if (row.isSlowest) return `${formatRatio(1)} (${table.reference})`;
  if (row.ratioToSlowest === null) return 'n/a';
  return formatEstimate(row.ratioToSlowest, formatRatio, '×');
}

function rateText(row: ReportRow): string {
  if (row.targetRate === undefined) return '';
  const achieved = row.achievedRate === undefined ? '?' : formatRate(row.achievedRate).replace(/ req\/s$/, '');
  return `${achieved} / ${formatRate(row.targetRate)}`;
}

export function columnsFor(table: ReportTable): Column[] {
  const interval = roundsIntervalText(table.rounds);
  const columns: Column[] = [
    { header: 'adapter', numeric: false, value: rowName },
    {
      header: `req/s (median, ${interval})`,
      numeric: true,
      value: (r) => formatEstimate(r.requestsPerSec, formatRate, 'req/s'),
    },
    { header: 'p50 (median)', numeric: true, detail: true, value: (r) => formatLatencyMs(r.latencyP50Us.median) },
    { header: 'p99 (median)', numeric: true, value: (r) => formatLatencyMs(r.latencyP99Us.median) },
    { header: 'errors', numeric: true, value: errorsText },
    {
      header: 'server CPU',
      numeric: true,
      detail: true,
      value: (r) =>
        r.serverCpuUsPerRequest === null
          ? (r.evidence.processNa ?? 'n/a')
          : formatCpuUsPerRequest(r.serverCpuUsPerRequest.median),
    },
    {
      header: `${table.ranking === 'throughput' ? 'req/s' : 'p99'} vs ${table.reference} (${interval})`,
      numeric: true,
      value: (r) => ratioText(r, table),
    },
  ];
  if (table.rows.some((r) => r.extras?.generatorUsPerRequest !== undefined)) {
    columns.push({
      header: 'generator CPU',
      numeric: true,
      detail: true,
      value: (r) =>
        r.extras?.generatorUsPerRequest === undefined ? '' : formatCpuUsPerRequest(r.extras.generatorUsPerRequest),
    });
  }
  if (table.rows.some((r) => r.extras?.ceiling !== undefined)) {
    columns.push({
      header: "of this machine's ceiling",
      numeric: true,
      detail: true,
      value: (r) => ceilingText(r.extras?.ceiling),
    });
  }
  if (table.rows.some((r) => r.extras?.shed !== undefined)) columns.push(...shedColumns());
  if (table.rows.some((r) => r.targetRate !== undefined)) {
    columns.push({ header: 'achieved / target rate', numeric: true, detail: true, value: rateText });
  }
  columns.push({ header: 'flags', numeric: false, value: flagText });
  return columns;
}

/**
 * When some answers were 503 (`serve --shed` turning requests away, or a database outage): the latency
 * of the admitted requests alone (every other status, all rounds merged) and the share turned away.
 * The p50/p99 columns before them mix in the fast 503s.
 */
function shedColumns(): Column[] {
  const admitted = (r: ReportRow, p: 'p50' | 'p99') => {
    // no 503 in the cell: every answer was admitted, and its merged percentiles are the admitted ones
    const us = r.extras?.shed === undefined ? r.mergedLatencyUs?.[p] : r.extras.shed.admittedLatencyUs?.[p];
    return us === undefined ? 'n/a' : formatLatencyMs(us); // n/a: wrk cannot split times by status
  };
  return [
    { header: 'admitted p50 (all rounds)', numeric: true, detail: true, value: (r) => admitted(r, 'p50') },
    { header: 'admitted p99', numeric: true, detail: true, value: (r) => admitted(r, 'p99') },
    { header: 'shed %', numeric: true, detail: true, value: (r) => formatPercent(r.extras?.shed?.share ?? 0) },
  ];
}
