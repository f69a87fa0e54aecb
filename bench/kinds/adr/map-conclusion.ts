import { pairedLogRatio, type PairedRatio } from '../../stats/paired.ts';
import { pairedRatioText } from '../../stats/interval-text.ts';
import type { TargetStyle } from '../../targets/styles.ts';
import { ADR_CLAIMS, claimedRatio, type ClaimKey } from './claims.ts';
import type { AdrCapacityRun } from './design.ts';
import { latencyText } from './map-render.ts';
import type { AdrMap, MapComparison, MapVerdict } from './map.ts';
import { ESTIMATE_TOLERANCE_FACTOR } from './verdict.ts';

/**
 * The conclusion in words, generated from the map alone (so that it cannot say more than the map):
 * where async wins and by how much, where the "before" wins, ties, what is inconclusive, where the
 * anti-pattern loses, and for each of the ADR's four claims where it holds and against which "before".
 * A claim holds in a cell when the whole interval of the ratio (a t interval: ≥ 5 clean rounds) lies
 * in the ADR's band [claim ÷ 2, claim × 2], the rule of the ADR table (verdict.ts).
 */

interface Placed {
  where: string; // "+50 ms, 128 conn"
  c: MapComparison;
}

const placed = (map: AdrMap): Placed[] =>
  map.cells.flatMap((cell) =>
    cell.comparisons.map((c) => ({ where: `DB ${latencyText(cell.dbLatencyMs)}, ${cell.connections} conn`, c })),
  );

const ratioOnly = (r: PairedRatio) => (r.kind === 'none' ? 'n/a' : `${r.ratio.toFixed(2)}×`);

function listOf(items: Placed[], verdict: MapVerdict): string {
  const mine = items.filter((p) => p.c.verdict === verdict);
  if (mine.length === 0) return 'nowhere';
  if (mine.length === items.length && items.length > 4) return `every cell (${items.length})`;
  return mine
    .map((p) => `${p.c.target.name} vs ${p.c.before.name} at ${p.where} (${ratioOnly(p.c.throughput)})`)
    .join('; ');
}

/** Whether a claim's band holds the whole interval. */
function holds(r: PairedRatio, claim: number): boolean {
  return r.kind === 't' && r.lo >= claim / ESTIMATE_TOLERANCE_FACTOR && r.hi <= claim * ESTIMATE_TOLERANCE_FACTOR;
}

function claimSentence(
  key: ClaimKey,
  label: string,
  items: { where: string; before: string; beforeStyle: TargetStyle; target: string; r: PairedRatio }[],
): string {
  const claim = claimedRatio(key);
  const a = ADR_CLAIMS[key];
  const head = `${label} (${a.sync} → ${a.async} ${a.unit}, ×${claim.toFixed(1)}; holds where the whole interval lies in ×${(claim / ESTIMATE_TOLERANCE_FACTOR).toFixed(2)}–×${(claim * ESTIMATE_TOLERANCE_FACTOR).toFixed(1)})`;
  if (items.length === 0) return `${head}: not measured in this map.`;
  const ok = items.filter((i) => holds(i.r, claim));
  if (!items.some((i) => i.r.kind === 't'))
    return `${head}: undecided — no cell has a confidence interval (each needs ≥ 5 clean rounds on both sides): ${items.filter((i) => i.r.kind === 'range').length} of ${items.length} comparisons have a range, the others no clean pair.`;
  if (ok.length === 0) {
    const usable = items.filter((i) => i.r.kind !== 'none');
    const best = usable.sort(
      (x, y) =>
        Math.abs(Math.log((x.r as { ratio: number }).ratio / claim)) -
        Math.abs(Math.log((y.r as { ratio: number }).ratio / claim)),
    )[0];
    return `${head}: holds nowhere in this map${best ? `; closest: ${best.target} vs ${best.before} at ${best.where}, ${pairedRatioText(best.r)}` : ''}.`;
  }
  const befores = [...new Set(ok.map((i) => `${i.before} (${i.beforeStyle})`))];
  return `${head}: holds at ${ok.map((i) => `${i.where}, ${i.target} vs ${i.before} ${pairedRatioText(i.r)}`).join('; ')} — the "before" it needs: ${befores.join(' or ')}.`;
}

/** The claims' evidence from the map (throughput, p50, p99) and from the capacity searches (connections). */
function claimLines(map: AdrMap, capacity: readonly AdrCapacityRun[]): string[] {
  const all = placed(map);
  const from = (pick: (c: MapComparison) => PairedRatio | undefined) =>
    all.flatMap((p) => {
      const r = pick(p.c);
      return r
        ? [{ where: p.where, before: p.c.before.name, beforeStyle: p.c.before.style, target: p.c.target.name, r }]
        : [];
    });
  const validOpen = (c: MapComparison) => (c.open && !c.open.invalid ? c.open : undefined);
  return [
    claimSentence(
      'latency-p50',
      'p50 latency at the fixed rate',
      from((c) => validOpen(c)?.p50),
    ),
    claimSentence(
      'latency-p99',
      'p99 latency at the fixed rate',
      from((c) => validOpen(c)?.p99),
    ),
    claimSentence(
      'throughput',
      'throughput',
      from((c) => c.throughput),
    ),
    claimSentence('max-connections', 'max connections (users held within the SLO)', capacityRatios(map, capacity)),
  ];
}

/** Held levels per round, async ÷ before, at each latency, for the pairs of the map. */
function capacityRatios(map: AdrMap, capacity: readonly AdrCapacityRun[]) {
  const pairs = new Map<string, { target: string; before: string; beforeStyle: TargetStyle }>();
  for (const p of placed(map)) {
    const [target, before] = [p.c.target.name.split(' ')[0]!, p.c.before.name.split(' ')[0]!];
    pairs.set(`${target}|${before}`, { target, before, beforeStyle: p.c.before.style });
  }
  return map.latenciesMs.flatMap((l) =>
    [...pairs.values()].flatMap((p) => {
      const held = (adapter: string) =>
        capacity.filter((c) => c.adapter === adapter && (c.dbLatencyMs ?? null) === l && c.stoppedBy !== 'running');
      const [a, b] = [held(p.target), held(p.before)];
      if (a.length === 0 || b.length === 0) return [];
      const rounds = [...new Set([...a, ...b].map((c) => c.round))].sort((x, y) => x - y);
      const at = (runs: AdrCapacityRun[], n: number) => runs.find((c) => c.round === n)?.heldConnections ?? null;
      const r = pairedLogRatio(
        rounds.map((n) => at(b, n)),
        rounds.map((n) => at(a, n)),
      );
      return [{ where: `DB ${latencyText(l)}`, ...p, r }];
    }),
  );
}

export function writeMapConclusion(map: AdrMap, capacity: readonly AdrCapacityRun[] = []): string {
  const all = placed(map);
  if (all.length === 0) return 'The map is empty: no async target and "before" were measured in the same cell.';
  const blocking = all.filter((p) => p.c.before.style === 'blocking');
  const antiPattern =
    blocking.length === 0
      ? 'The blocking anti-pattern was not measured (name fastapi-psycopg2-async in --adapters).'
      : `Against the anti-pattern (a sync driver inside async def) — it loses to async: ${listOf(blocking, 'async-wins')}; it wins: ${listOf(blocking, 'before-wins')}; tie: ${listOf(blocking, 'tie')}; inconclusive: ${listOf(blocking, 'inconclusive')}.`;
  const sync = all.filter((p) => p.c.before.style === 'sync');
  const disturbed = all.filter((p) => p.c.disturbedRounds > 0).length;
  return [
    ...(disturbed > 0
      ? [
          `${disturbed} of ${all.length} comparisons lost rounds to disturbed or invalid windows (other processes on the machine, unexpected statuses): those rounds are left out of the pairs, never judged.`,
        ]
      : []),
    `Against the correct sync code — async wins: ${listOf(sync, 'async-wins')}; sync wins: ${listOf(sync, 'before-wins')}; tie: ${listOf(sync, 'tie')}; inconclusive: ${listOf(sync, 'inconclusive')}.`,
    antiPattern,
    "The ADR's claims, cell by cell:",
    ...claimLines(map, capacity).map((l) => `- ${l}`),
  ].join('\n');
}
