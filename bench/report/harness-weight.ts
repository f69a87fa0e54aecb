/**
 * The harness's own weight (Round.harness, issue 21) in a table's server-side evidence: per cell the
 * largest over its rounds, and for the table one line under the evidence table. Files written before
 * it was recorded have no such line. Pure.
 */
import type { Cell } from '../results/types.ts';

export interface HarnessWeightEvidence {
  serverRequestsPerSec: number; // requests the probes sent the server, per second of the window: largest round
  byProbePerSec: Record<string, number>; // the same by probe, each its largest round
  dbStatementsPerSec: number;
  cpuPercent: number; // jobbench's own CPU, % of one core: largest round
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function harnessEvidenceOf(cell: Cell): { harness?: HarnessWeightEvidence } {
  const rounds = cell.rounds.flatMap((r) => (r.harness && r.harness.wallS > 0 ? [r.harness] : []));
  if (rounds.length === 0) return {};
  const byProbePerSec: Record<string, number> = {};
  for (const h of rounds)
    for (const [probe, n] of Object.entries(h.serverRequestsByProbe))
      byProbePerSec[probe] = Math.max(byProbePerSec[probe] ?? 0, round1(n / h.wallS));
  return {
    harness: {
      serverRequestsPerSec: Math.max(...rounds.map((h) => h.serverRequestsPerSec)),
      byProbePerSec,
      dbStatementsPerSec: Math.max(...rounds.map((h) => round1(h.dbStatements / h.wallS))),
      cpuPercent: Math.max(...rounds.map((h) => h.cpuPercent)),
    },
  };
}

/** One line for the rows of a table, the largest of each figure; undefined when no row recorded it. */
export function harnessWeightLine(
  rows: readonly { evidence: { harness?: HarnessWeightEvidence } }[],
): string | undefined {
  const weights = rows.flatMap((r) => (r.evidence.harness ? [r.evidence.harness] : []));
  if (weights.length === 0) return undefined;
  const byProbe: Record<string, number> = {};
  for (const w of weights)
    for (const [probe, perSec] of Object.entries(w.byProbePerSec))
      byProbe[probe] = Math.max(byProbe[probe] ?? 0, perSec);
  const probes = Object.entries(byProbe)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([probe, perSec]) => `${probe} ${perSec.toFixed(1)}`)
    .join(', ');
  const max = (pick: (w: HarnessWeightEvidence) => number) => Math.max(...weights.map(pick));
  return (
    `*Harness weight* (jobbench's own, during each window, largest over these rows): ` +
    `${max((w) => w.serverRequestsPerSec).toFixed(1)} requests/s to the server from its probes` +
    `${probes ? ` (${probes})` : ''}, ${max((w) => w.dbStatementsPerSec).toFixed(1)} statements/s to PostgreSQL, ` +
    `${max((w) => w.cpuPercent).toFixed(1)}% of a core of its own CPU.`
  );
}
