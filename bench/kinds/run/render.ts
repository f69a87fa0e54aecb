import { formatCpuUsPerRequest, formatEstimate } from '../../report/format.ts';
import type { KindSection } from '../types.ts';
import type { MetricsCostRow } from './analyze.ts';

const HEADERS = [
  'scenario',
  'adapter',
  'CPU metrics on',
  'CPU metrics off',
  'cost per request (on − off, paired by round)',
  'cost',
];

function cells(row: MetricsCostRow): string[] {
  const signed = (n: number) => `${n >= 0 ? '+' : '−'}${formatCpuUsPerRequest(Math.abs(n))}`;
  return [
    row.scenario,
    row.adapter,
    formatEstimate(row.cpuOnUs, formatCpuUsPerRequest, 'µs/req'),
    formatEstimate(row.cpuOffUs, formatCpuUsPerRequest, 'µs/req'),
    row.deltaUs.ci95
      ? `${signed(row.deltaUs.median)} (${signed(row.deltaUs.ci95[0])} to ${signed(row.deltaUs.ci95[1])})`
      : `${signed(row.deltaUs.median)} (n<3, no CI)`,
    `${row.deltaPercent >= 0 ? '+' : '−'}${Math.abs(row.deltaPercent).toFixed(1)}%`,
  ];
}

const NOTE =
  'Server CPU per request with Prometheus metrics on and off, each adapter measured both ways in every round. An interval that contains 0 means this run cannot tell the two apart.';

export function renderMetricsCostTerminal(rows: readonly MetricsCostRow[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    'What metrics cost',
    line(HEADERS),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => line(cells(r))),
    '',
    NOTE,
  ].join('\n');
}

export function renderMetricsCostMarkdown(rows: readonly MetricsCostRow[]): string {
  const row = (r: string[]) => `| ${r.join(' | ')} |`;
  return [
    '## What metrics cost',
    '',
    NOTE,
    '',
    row(HEADERS),
    row(HEADERS.map((_, i) => (i < 2 ? ':--' : '--:'))),
    ...rows.map((r) => row(cells(r))),
  ].join('\n');
}

/** `jobbench run --metrics both`: the cost of Prometheus metrics in server CPU per request. */
export const runSection: KindSection<MetricsCostRow[]> = {
  key: 'metricsCost',
  markdown: renderMetricsCostMarkdown,
  terminal: renderMetricsCostTerminal,
};
