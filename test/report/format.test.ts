import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCpuUsPerRequest,
  formatEstimate,
  formatLatencyMs,
  formatRate,
  formatRatio,
  shellQuote,
} from '../../bench/report/format.ts';

describe('report number formats', () => {
  it.each([
    { us: 412, text: '0.412 ms' },
    { us: 87, text: '0.087 ms' },
    { us: 3251, text: '3.251 ms' },
    { us: 12_346, text: '12.35 ms' },
    { us: 250_100, text: '250.1 ms' },
    { us: 1_250_000, text: '1,250 ms' },
    { us: 0, text: '0.000 ms' },
  ])('latency $us µs is "$text"', ({ us, text }) => {
    expect(formatLatencyMs(us)).toBe(text);
  });

  it.each([
    { n: 12_345.6, text: '12,346 req/s' },
    { n: 42.25, text: '42.3 req/s' },
  ])('rate $n is "$text"', ({ n, text }) => {
    expect(formatRate(n)).toBe(text);
  });

  it.each([
    { n: 152.4, text: '152 µs/req' },
    { n: 38.26, text: '38.3 µs/req' },
    { n: 4.5, text: '4.50 µs/req' },
    { n: 1520, text: '1,520 µs/req' },
  ])('CPU $n is "$text"', ({ n, text }) => {
    expect(formatCpuUsPerRequest(n)).toBe(text);
  });

  it.each([
    {
      e: { median: 10_000, ci95: [9_800, 10_250] as [number, number] },
      f: formatRate,
      unit: 'req/s',
      text: '10,000 req/s (9,800–10,250)',
    },
    { e: { median: 10_000, ci95: null }, f: formatRate, unit: 'req/s', text: '10,000 req/s' },
    {
      e: { median: 1.234, ci95: [1.1, 1.3] as [number, number] },
      f: formatRatio,
      unit: '×',
      text: '1.23× (1.10–1.30)',
    },
    {
      e: { median: 412, ci95: [400, 430] as [number, number] },
      f: formatLatencyMs,
      unit: 'ms',
      text: '0.412 ms (0.400–0.430)',
    },
  ])('estimate "$text"', ({ e, f, unit, text }) => {
    expect(formatEstimate(e, f, unit)).toBe(text);
  });

  it.each([
    { bytes: 512, text: '512 B' },
    { bytes: 100 * 1024 * 1024, text: '100.0 MiB' },
  ])('bytes $bytes is "$text"', ({ bytes, text }) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    { arg: '--adapters', text: '--adapters' },
    { arg: 'pg-pool,kysely', text: 'pg-pool,kysely' },
    { arg: 'a b', text: "'a b'" },
    { arg: "it's", text: `'it'\\''s'` },
  ])('shell-quotes $arg', ({ arg, text }) => {
    expect(shellQuote(arg)).toBe(text);
  });
});
