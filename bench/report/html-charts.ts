import type { Estimate } from '../results/types.ts';
import { roundsIntervalText } from '../stats/interval-text.ts';
import { flagText, rowName } from './columns.ts';
import { formatEstimate, formatLatencyMs, formatRate } from './format.ts';
import { escapeHtml } from './html-escape.ts';
import { barChartSvg, type ChartRow } from './html-svg.ts';
import type { ReportTable } from './model.ts';

/** The two charts of a report table, rows in the table's order (slowest first). Numbers come from the model. */

const usToMs = (e: Estimate) => ({
  value: e.median / 1000,
  ci: e.ci95 === null ? null : ([e.ci95[0] / 1000, e.ci95[1] / 1000] as const),
});

function rowsOf(table: ReportTable, bars: (row: ReportTable['rows'][number]) => ChartRow['bars']): ChartRow[] {
  return table.rows.map((row) => ({
    name: rowName(row),
    flagged: row.flags.length > 0,
    note: flagText(row),
    bars: bars(row),
  }));
}

function figure(caption: string, legend: [series: string, text: string][], svg: string): string {
  const keys = legend
    .map(([series, text]) => `<span class="key"><span class="swatch bar-${series}"></span>${escapeHtml(text)}</span>`)
    .join('');
  return `<figure class="chart-figure"><figcaption>${escapeHtml(caption)}${keys ? ` <span class="legend">${keys}</span>` : ''}</figcaption>\n${svg}\n</figure>`;
}

export function throughputChart(table: ReportTable): string {
  const svg = barChartSvg({
    title: `Throughput, ${table.title}: median req/s per adapter (whiskers: ${roundsIntervalText(table.rounds)}), slowest first`,
    axisLabel: `req/s (median over rounds; whiskers: ${roundsIntervalText(table.rounds)})`,
    rows: rowsOf(table, (row) => [
      {
        series: 'rps',
        value: row.requestsPerSec.median,
        ci: row.requestsPerSec.ci95,
        text: formatEstimate(row.requestsPerSec, formatRate, 'req/s'),
      },
    ]),
    ...(table.targetRate !== undefined
      ? { reference: { value: table.targetRate, text: `target ${formatRate(table.targetRate)}` } }
      : {}),
  });
  return figure('Throughput', [], svg);
}

export function latencyChart(table: ReportTable): string {
  const svg = barChartSvg({
    title: `Latency, ${table.title}: median p50 and p99 per adapter (whiskers: ${roundsIntervalText(table.rounds)})`,
    axisLabel: `latency, ms (median over rounds; whiskers: ${roundsIntervalText(table.rounds)})`,
    rows: rowsOf(table, (row) => [
      {
        series: 'p50',
        ...usToMs(row.latencyP50Us),
        text: `p50 ${formatEstimate(row.latencyP50Us, formatLatencyMs, 'ms')}`,
      },
      {
        series: 'p99',
        ...usToMs(row.latencyP99Us),
        text: `p99 ${formatEstimate(row.latencyP99Us, formatLatencyMs, 'ms')}`,
      },
    ]),
  });
  return figure(
    'Latency',
    [
      ['p50', 'p50'],
      ['p99', 'p99'],
    ],
    svg,
  );
}

/** The chart the table ranks by comes first: throughput (closed model) or latency (fixed arrival rate). */
export function tableCharts(table: ReportTable): string {
  const charts = [throughputChart(table), latencyChart(table)];
  return `<div class="charts">\n${(table.ranking === 'throughput' ? charts : charts.reverse()).join('\n')}\n</div>`;
}
