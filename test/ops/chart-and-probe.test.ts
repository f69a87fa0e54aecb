import { describe, expect, it } from 'vitest';
import { bar, renderBarChart } from '../../bench/report/bar-chart.ts';
import { parseScrape } from '../../bench/window/probes/db-time.ts';

describe('bar', () => {
  it.each([
    { value: 0, max: 10, width: 4, expected: '    ' },
    { value: 10, max: 10, width: 4, expected: '████' },
    { value: 5, max: 10, width: 4, expected: '██  ' },
    { value: 1, max: 8, width: 1, expected: '▏' },
    { value: 20, max: 10, width: 4, expected: '████' }, // clamped
    { value: 0.001, max: 10, width: 4, expected: '▏   ' }, // anything served shows
    { value: 5, max: 0, width: 3, expected: '   ' },
  ])('$value of $max in $width cells is "$expected"', ({ value, max, width, expected }) => {
    expect(bar(value, max, width)).toBe(expected);
  });
});

describe('renderBarChart', () => {
  const chart = renderBarChart(
    [
      { x: 1, requestsPerSec: 1000, p99Ms: 40 },
      { x: 8, marker: '★', requestsPerSec: 4000, p99Ms: 10 },
      { x: 64, requestsPerSec: 3800, p99Ms: 150 },
    ],
    { xLabel: 'pool', sloP99Ms: 100, barWidth: 20 },
  );
  const lines = chart.split('\n');

  it('has a header and one line per x, marked', () => {
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('SLO 100 ms');
    expect(lines[2]).toMatch(/^ +★ 8 /);
  });

  it('scales throughput to the peak and shows the value', () => {
    expect(lines[2]).toContain('█'.repeat(20) + '  4,000');
    expect(lines[1]).toContain('█████ ');
  });

  it('marks the SLO on short p99 bars and flags the ones past it', () => {
    expect(lines[1]).toContain('┆');
    expect(lines[1]).not.toContain('> SLO');
    expect(lines[3]).toMatch(/150 ms > SLO$/);
  });
});

describe('parseScrape', () => {
  const text = [
    '# HELP jobbench_info Build and configuration of this server.',
    '# TYPE jobbench_info gauge',
    'jobbench_info{adapter="pg-pool",pool_max="8",version="0.1.0"} 1',
    'jobbench_db_query_duration_seconds_bucket{le="0.001",adapter="pg-pool",operation="get"} 90',
    'jobbench_db_query_duration_seconds_sum{adapter="pg-pool",operation="get"} 0.25',
    'jobbench_db_query_duration_seconds_count{adapter="pg-pool",operation="get"} 100',
    'jobbench_db_query_duration_seconds_sum{adapter="pg-pool",operation="search"} 1.5',
    'jobbench_db_query_duration_seconds_count{adapter="pg-pool",operation="search"} 300',
    'jobbench_db_query_duration_seconds_sum{adapter="pg-pool",operation="ping"} 9',
    'jobbench_db_query_duration_seconds_count{adapter="pg-pool",operation="ping"} 9',
    'http_requests_total{method="GET",route="/jobs/:id",status_code="200",adapter="pg-pool"} 100',
  ].join('\n');

  it('reads the adapter and pool size, and sums DB time over operations, readiness pings excluded', () => {
    expect(parseScrape(text)).toEqual({ adapter: 'pg-pool', poolMax: 8, sumS: 1.75, count: 400 });
  });

  it('gives nulls and zeros for a server without metrics', () => {
    expect(parseScrape('')).toEqual({ adapter: null, poolMax: null, sumS: 0, count: 0 });
  });
});
