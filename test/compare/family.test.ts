import { describe, expect, it } from 'vitest';
import { compareGateRun } from '../../bench/compare/compare.ts';
import { holmHeldBack, type FamilyMember } from '../../bench/compare/family.ts';
import type { Results } from '../../bench/results/types.ts';
import { makeGateRun } from '../fixtures/make-compare-results.ts';

const member = (cell: number, pValue: number, different = true): FamilyMember => ({
  cell,
  metric: 'requestsPerSec',
  pValue,
  alpha: 0.05,
  different,
});

describe("Holm's step-down over a gate's timed checks", () => {
  it('rejects in order while p beats alpha / (m − k + 1), and holds back the rest at the failing level', () => {
    // m = 4: levels 0.0125, 0.0167, 0.025, 0.05. 0.001 and 0.01 pass; 0.03 fails at 0.025 and stops the
    // descent, so 0.04, below its own 0.05, is held back at 0.025 too.
    const held = holmHeldBack([member(0, 0.03), member(1, 0.001), member(2, 0.04), member(3, 0.01)]);
    expect(held.map((h) => [h.cell, h.rank, h.level])).toEqual([
      [0, 3, 0.025],
      [2, 4, 0.025],
    ]);
    expect(held.every((h) => h.family === 4)).toBe(true);
  });

  it('counts rows that decided nothing in the family, and never holds back a row that was not different', () => {
    // Three undecided checks with large p make the family m = 4: the one small p must beat 0.0125.
    const family = [member(0, 0.02), member(1, 0.5, false), member(2, 0.6, false), member(3, 0.9, false)];
    expect(holmHeldBack(family)).toEqual([{ cell: 0, metric: 'requestsPerSec', level: 0.0125, rank: 1, family: 4 }]);
    expect(holmHeldBack([member(0, 0.02)])).toEqual([]);
  });
});

const timed = new Set(['requestsPerSec', 'latencyP50Us', 'latencyP99Us', 'serverCpuUsPerRequest']);
const falseVerdicts = (r: Results, family: 'holm' | 'each') =>
  compareGateRun(r, { paired: { family } })
    .groups.flatMap((g) => g.cells.flatMap((c) => c.metrics))
    .filter((m) => timed.has(m.metric) && (m.verdict === 'regressed' || m.verdict === 'improved'));

describe('a gate file judged with the family rule', () => {
  // A/A gates as the default gate has them: one adapter × 2 scenarios × 4 timed checks = 8, 8 pairs,
  // ±15% noise per window (the fixture's noise is each window's own: nothing shared to pair away).
  const aa = (seed: number) =>
    makeGateRun({
      seed,
      rounds: 8,
      noisePct: 15,
      samplesPerRound: 40,
      adapters: ['pg-pool'],
      scenarios: { 'get-job': 1200, search: 4000 },
    });
  const gates = Array.from({ length: 40 }, (_, i) => aa(i + 1));
  const judged = gates.map((g) => ({ each: falseVerdicts(g, 'each'), holm: falseVerdicts(g, 'holm') }));

  it('gives fewer A/A gates a false verdict than testing each check alone, and every one it keeps, each kept too', () => {
    const each = judged.filter((j) => j.each.length > 0).length;
    const holm = judged.filter((j) => j.holm.length > 0).length;
    expect(each).toBeGreaterThan(0); // the fixture is noisy enough to fool a check tested alone
    expect(holm).toBeLessThan(each);
    for (const j of judged) for (const m of j.holm) expect(j.each.map((x) => x.metric)).toContain(m.metric);
  });

  it('says why a held-back check is inconclusive, and lets the gate extend it', () => {
    const i = judged.findIndex((j) => j.each.length > 0 && j.holm.length === 0);
    const g = gates[i]!;
    const was = judged[i]!.each[0]!;
    const row = compareGateRun(g, { paired: { family: 'holm' } })
      .groups.flatMap((x) => x.cells.flatMap((c) => c.metrics))
      .find((m) => m.metric === was.metric && m.pValue === was.pValue)!;
    expect(row.verdict).toBe('inconclusive');
    expect(row.reason).toMatch(/held back by Holm over the gate's 8 timed checks/);
    expect(row.alpha!).toBeLessThan(was.alpha!);
    expect(row.roundsNeeded).not.toBeNull();
  });

  it('still catches a real change that moves every timed check', () => {
    const slower = makeGateRun({ rounds: 12, noisePct: 3 }, {}, { latencyFactor: 1.15, cpuFactor: 1.15 });
    const c = compareGateRun(slower, { paired: { family: 'holm' } });
    expect(c.passed).toBe(false);
    expect(c.regressions.map((r) => r.metric)).toEqual(expect.arrayContaining(['requestsPerSec', 'latencyP50Us']));
  });

  it('applies Holm to files that store it or store nothing, and not to gate files written before it', () => {
    const g = gates[judged.findIndex((j) => j.each.length > 0 && j.holm.length === 0)]!;
    const count = (r: Results) =>
      compareGateRun(r)
        .groups.flatMap((x) => x.cells.flatMap((c) => c.metrics))
        .filter((m) => timed.has(m.metric) && (m.verdict === 'regressed' || m.verdict === 'improved')).length;
    expect(count(g)).toBe(0);
    expect(count({ ...g, extra: { ...g.extra, gate: { looks: 1, family: 'holm' } } })).toBe(0);
    expect(count({ ...g, extra: { ...g.extra, gate: { looks: 1 } } })).toBeGreaterThan(0);
  });
});
