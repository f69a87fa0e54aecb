import type { Cell, Estimate } from '../../results/types.ts';
import { formatCpuUsPerRequest, formatEstimate } from '../../report/format.ts';
import { medianCi } from '../../stats/bootstrap.ts';

/** What Prometheus metrics cost one adapter on one scenario: server CPU per request, on vs off. */
export interface MetricsCostRow {
  adapter: string;
  scenario: string;
  connections: number;
  cpuOnUs: Estimate; // server CPU µs/request with metrics on, median over rounds
  cpuOffUs: Estimate;
  deltaUs: Estimate; // per-round (on − off), paired by round: both ran in the same round
  deltaPercent: number; // median delta / median off
}

/**
 * Pairs the `metrics: on` and `metrics: off` cells of `jobbench run --metrics both` (same adapter,
 * scenario and load) and estimates the cost from per-round differences, which cancel the drift that
 * hits both cells of a round alike. Pure.
 */
export function analyzeMetricsCost(cells: readonly Cell[]): MetricsCostRow[] {
  const key = (c: Cell) => [c.adapter, c.scenario, c.connections, c.poolMax, c.targetRate ?? '', c.via ?? ''].join('|');
  const off = new Map(cells.filter((c) => c.metrics === 'off').map((c) => [key(c), c]));
  const rows: MetricsCostRow[] = [];
  for (const on of cells.filter((c) => c.metrics === 'on')) {
    const pair = off.get(key(on));
    if (!pair) continue;
    const offByRound = new Map(pair.rounds.map((r) => [r.round, r.serverCpuUsPerRequest]));
    const deltas = on.rounds
      .filter((r) => offByRound.has(r.round))
      .map((r) => r.serverCpuUsPerRequest - offByRound.get(r.round)!);
    if (deltas.length === 0) continue;
    const deltaUs = medianCi(deltas);
    const cpuOffUs = medianCi(pair.rounds.map((r) => r.serverCpuUsPerRequest));
    rows.push({
      adapter: on.adapter,
      scenario: on.scenario,
      connections: on.connections,
      cpuOnUs: medianCi(on.rounds.map((r) => r.serverCpuUsPerRequest)),
      cpuOffUs,
      deltaUs,
      deltaPercent: cpuOffUs.median === 0 ? 0 : (deltaUs.median / cpuOffUs.median) * 100,
    });
  }
  return rows.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.adapter.localeCompare(b.adapter));
}

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
