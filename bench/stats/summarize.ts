import type { CellSummary, Round } from '../results/types.ts';
import { usableRound } from '../results/validity.ts';
import { medianCi } from './bootstrap.ts';
import { mergeEncoded, percentilesUs } from './histogram.ts';

/**
 * A cell's summary from its usable rounds: the median over rounds of each headline number with its 95%
 * bootstrap interval, plus the percentiles of all rounds' histograms merged. The per-round medians are
 * the headline (each round is one independent sample of the machine's state); the merged percentiles
 * describe every response of the cell and are shown as context only.
 */
export function summarizeCell(all: readonly Round[]): CellSummary {
  if (all.length === 0) throw new RangeError('summarizeCell: a cell needs at least one round');
  // Windows that cannot be used (invalid, disturbed) stay in the file and out of the estimates, unless
  // no round can be used: then the estimates are over every round and unusableRounds says why.
  const usable = all.filter(usableRound);
  const rounds = usable.length > 0 ? usable : all;
  const unusable = {
    invalid: all.filter((r) => r.validity?.invalid !== undefined).length,
    disturbed: all.filter((r) => r.validity?.invalid === undefined && r.validity?.disturbed === true).length,
  };
  // null in every round of a target without process evidence (external): no estimate, not a zero.
  const cpu = rounds.map((r) => r.serverCpuUsPerRequest).filter((v): v is number => v !== null);
  const summary: CellSummary = {
    rounds: rounds.length,
    requestsPerSec: medianCi(rounds.map((r) => r.requestsPerSec)),
    latencyUs: {
      p50: medianCi(rounds.map((r) => r.latencyUs.p50)),
      p99: medianCi(rounds.map((r) => r.latencyUs.p99)),
    },
    serverCpuUsPerRequest: cpu.length === 0 ? null : medianCi(cpu),
  };
  const encoded = rounds.map((r) => r.histogram).filter((h) => h.trim() !== '');
  if (encoded.length > 0) {
    const merged = mergeEncoded(encoded);
    if (merged.totalCount > 0) summary.mergedLatencyUs = percentilesUs(merged);
  }
  Object.assign(summary, sheddingOf(rounds));
  if (unusable.invalid + unusable.disturbed > 0) summary.unusableRounds = unusable;
  return summary;
}

/**
 * What load shedding turned away (503s over all answers) and the latency of what it let through, all
 * rounds merged like mergedLatencyUs; nothing when no 503 came. A round with 503s but no
 * admittedHistogram (wrk: no time per status) adds to the share, and leaves the cell without admitted
 * percentiles (those of the other rounds alone would describe a different mix).
 */
function sheddingOf(rounds: readonly Round[]): Pick<CellSummary, 'admittedLatencyUs' | 'shedShare'> {
  const answers = rounds.reduce((n, r) => n + r.requests, 0);
  const shed = rounds.reduce((n, r) => n + (r.statusCodes['503'] ?? 0), 0);
  if (shed === 0 || answers === 0) return {};
  // A round without a 503 stored no admittedHistogram: every answer of it was admitted.
  const encoded = rounds
    .map((r) => r.admittedHistogram ?? ((r.statusCodes['503'] ?? 0) === 0 ? r.histogram : undefined))
    .filter((h): h is string => h !== undefined && h.trim() !== '');
  const admitted = encoded.length === rounds.length ? mergeEncoded(encoded) : undefined;
  return {
    shedShare: shed / answers,
    ...(admitted && admitted.totalCount > 0 ? { admittedLatencyUs: percentilesUs(admitted) } : {}),
  };
}
