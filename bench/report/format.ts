import type { Estimate } from '../results/types.ts';

/**
 * Number formatting for reports. Every formatted number carries its unit. Latencies come from HDR
 * histograms with 3 significant digits, so more digits than that would be noise.
 */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345.6 -> "12,346" */
export function formatInt(n: number): string {
  return grouped.format(Math.round(n));
}

/** Three significant digits for small values, whole numbers with separators past 1000. */
function threeDigits(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1000) return formatInt(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** req/s: whole numbers past 100 req/s, one decimal below (a slow cell still shows a difference). */
export function formatRate(reqPerSec: number): string {
  return `${reqPerSec >= 100 ? formatInt(reqPerSec) : reqPerSec.toFixed(1)} req/s`;
}

/** µs -> "0.412 ms", "12.35 ms", "250.1 ms", "1,250 ms": sub-millisecond precision where it matters. */
export function formatLatencyMs(us: number): string {
  const ms = us / 1000;
  const abs = Math.abs(ms);
  const text = abs >= 1000 ? formatInt(ms) : abs >= 100 ? ms.toFixed(1) : abs >= 10 ? ms.toFixed(2) : ms.toFixed(3);
  return `${text} ms`;
}

export function formatCpuUsPerRequest(us: number): string {
  return `${threeDigits(us)} µs/req`;
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * "(lo–hi)" with the value's own formatter minus its unit, or "" without an interval (fewer than 3
 * rounds): the table's header says so once (bench/stats/interval-text.ts roundsIntervalText), not each cell.
 */
export function formatCi(estimate: Estimate, format: (n: number) => string, unit: string): string {
  if (estimate.ci95 === null) return '';
  const strip = (s: string) => (unit && s.endsWith(unit) ? s.slice(0, -unit.length).trimEnd() : s);
  return `(${strip(format(estimate.ci95[0]))}–${strip(format(estimate.ci95[1]))})`;
}

/** "12,345 req/s (12,100–12,600)": a median with its interval (named by the header), or the median alone. */
export function formatEstimate(estimate: Estimate, format: (n: number) => string, unit: string): string {
  const ci = formatCi(estimate, format, unit);
  return ci ? `${format(estimate.median)} ${ci}` : format(estimate.median);
}

/** Quotes one argv item for a POSIX shell, only when needed. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
