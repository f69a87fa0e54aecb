import { ADR_CLAIMS, type ClaimKey } from './claims.ts';
import type { AdrDesign } from './design.ts';
import { formatChange, formatValue } from './format.ts';
import type { AdrRow, AdrTable } from './table.ts';
import { ABSOLUTE_VERDICT_TEXT, VERDICTS, type Verdict } from './verdict.ts';
import { MIN_PAIRS_FOR_INTERVAL } from '../../stats/paired.ts';

/** The path whose rows head the report: the mix (what users do) when measured, else the first path. */
export function headlinePath(design: AdrDesign): string {
  return design.paths.includes('mixed') ? 'mixed' : (design.paths[0] ?? 'mixed');
}

export function countVerdicts(judgements: readonly { verdict: Verdict }[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const j of judgements) counts[j.verdict]++;
  return counts;
}

function countsText(c: Record<Verdict, number>, words: Record<Verdict, string> | null = null): string {
  return VERDICTS.map((v) => `${c[v]} ${words ? words[v] : v}`).join(', ');
}

/** "+12% (pg-pool) to +30% (kysely)" over the async rows' measured gains, or null when none was measured. */
function gainRange(rows: readonly AdrRow[]): string | null {
  const measured = rows
    .filter((r) => r.gain?.measured)
    .map((r) => ({ adapter: r.adapter, ratio: r.gain!.measured!.median }));
  if (measured.length === 0) return null;
  measured.sort((a, b) => a.ratio - b.ratio);
  const lo = measured[0]!;
  const hi = measured[measured.length - 1]!;
  if (measured.length === 1 || formatChange(lo.ratio) === formatChange(hi.ratio))
    return `${formatChange(lo.ratio)} (${measured.map((m) => m.adapter).join(', ')})`;
  return `${formatChange(lo.ratio)} (${lo.adapter}) to ${formatChange(hi.ratio)} (${hi.adapter})`;
}

/**
 * A short plain-language conclusion a reader can quote: the measured gains on the headline path next
 * to the claimed ones, the verdict counts, the direction, and the event-loop evidence of the blocking.
 */
export function writeConclusion(design: AdrDesign, table: AdrTable): string {
  const path = headlinePath(design);
  // max connections is measured on one path (the capacity scenario), which may not be the headline one
  const asyncRows = (series: AdrRow['series']) =>
    table.rows.filter(
      (r) => (r.path === path || series === 'max-connections') && r.series === series && r.role === 'async',
    );
  const sentences: string[] = [];
  const latencySeries = design.latency.model === 'open' ? 'latency-p99' : 'latency-p99-closed';
  const latencyWhere =
    design.latency.model === 'open'
      ? `at ${design.latency.ratesPerS[path] ?? '?'} req/s`
      : `under closed-model load (${design.closedConnections} connections)`;
  const parts: string[] = [];
  const slo = 'skipped' in design.capacity ? '' : ` (p99 ≤ ${design.capacity.slo.p99Ms} ms)`;
  const pieces: [AdrRow['series'], ClaimKey, string][] = [
    ['throughput', 'throughput', 'throughput'],
    [latencySeries, 'latency-p99', `p99 latency ${latencyWhere}`],
    ...(latencySeries === 'latency-p99-closed'
      ? []
      : [
          ['latency-p99-closed', 'latency-p99', `p99 latency under ${design.closedConnections} busy connections`] as [
            AdrRow['series'],
            ClaimKey,
            string,
          ],
        ]),
    ['max-connections', 'max-connections', `the connections held within the SLO${slo}`],
  ];
  for (const [series, claim, what] of pieces) {
    const rows = asyncRows(series);
    const range = gainRange(rows);
    // A gain computed from a window where k6 fell behind its schedule is shown but flagged as such.
    const invalid = rows.some((r) => r.gain?.invalid)
      ? ', from windows where k6 dropped iterations: not conclusive'
      : '';
    if (range)
      parts.push(
        `${what} by ${range} (the ADR claimed ${formatChange(1 + ADR_CLAIMS[claim].claimedChange)}${invalid})`,
      );
  }
  const baselineName = design.baseline;
  if (parts.length > 0) {
    sentences.push(
      `On this machine, on the ${path} path, replacing the blocking driver (${baselineName}) with an async one changed ${parts.join('; ')}.`,
    );
  }

  const throughputRows = asyncRows('throughput').filter((r) => r.gain?.measured?.ci95);
  // DESIGN rule 13: below 5 rounds the interval is the range of the per-round ratios, not a 95% CI
  const confidence = design.rounds >= MIN_PAIRS_FOR_INTERVAL ? 'with 95% confidence' : 'in every round';
  if (throughputRows.length > 0) {
    const n = throughputRows.filter((r) => r.gain!.measured!.ci95![0] > 1).length;
    const total = throughputRows.length;
    if (n === total) {
      sentences.push(
        `The direction of the ADR's decision holds: ${total === 1 ? 'the async adapter' : `all ${total} async adapters`} served more requests per second than the blocking baseline, ${confidence}.`,
      );
    } else if (n === 0) {
      sentences.push(
        `This run cannot confirm even the direction of the ADR's decision: no async adapter served more requests per second than the blocking baseline ${confidence}.`,
      );
    } else {
      sentences.push(
        `The direction of the ADR's decision holds for ${n} of ${total} async adapters (more requests per second than the blocking baseline, ${confidence}).`,
      );
    }
  }

  const gains = table.rows.filter((r) => r.gain).map((r) => r.gain!.judgement);
  const absolutes = table.rows.map((r) => r.judgement);
  sentences.push(
    `Across all paths and adapters, the ADR's claimed gains are ${countsText(countVerdicts(gains))}; its absolute estimates (~${ADR_CLAIMS['latency-p50'].sync} ms p50, ~${ADR_CLAIMS.throughput.sync} req/s for sync, …) are ${countsText(countVerdicts(absolutes), ABSOLUTE_VERDICT_TEXT)}, and describe another machine and stack in any case.`,
  );

  const delay = table.evidence.filter((e) => e.path === path && e.eventLoopMaxDelayMs);
  const base = delay.find((e) => e.adapter === baselineName);
  const others = delay.filter((e) => e.role === 'async');
  if (base && others.length > 0) {
    const worstAsync = Math.max(...others.map((e) => e.eventLoopMaxDelayMs!.median));
    sentences.push(
      `The blocking is real: under ${design.closedConnections} concurrent connections the event loop of ${baselineName} stalled for up to ${formatValue('ms', base.eventLoopMaxDelayMs!.median)} (median over rounds), against at most ${formatValue('ms', worstAsync)} for the async adapters.`,
    );
  }
  return sentences.join(' ');
}
