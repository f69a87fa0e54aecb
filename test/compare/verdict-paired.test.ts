import { describe, expect, it } from 'vitest';
import { compareGateRun, compareResults } from '../../bench/compare/compare.ts';
import { metricById } from '../../bench/compare/metrics.ts';
import { judgePaired } from '../../bench/compare/verdict-paired.ts';
import { judgeStatistical } from '../../bench/compare/verdict-statistical.ts';
import { makeGateRun, makeRun } from '../fixtures/make-compare-results.ts';

const cpu = metricById('serverCpuUsPerRequest');
const rps = metricById('requestsPerSec');
// Machine drift shared by both sides of a round (±12%), and a small own noise per window (±0.5%).
const DRIFT = [1.0, 1.12, 0.9, 1.05, 0.88, 1.1, 0.95, 1.08, 0.92, 1.0, 1.11, 0.89];
const OWN = [0.004, -0.003, 0.005, -0.005, 0.002, -0.001, 0.003, -0.004, 0.001, -0.002, 0.005, -0.003];
const side = (level: number, change: number, own: readonly number[]) =>
  DRIFT.map((d, i) => level * d * change * (1 + own[i]!));

describe('paired verdicts on synthetic rounds with a known answer', () => {
  it('catches +3% CPU/request under ±12% shared drift, which medians resampled per side cannot', () => {
    const base = side(
      100,
      1,
      OWN.map(() => 0),
    );
    const head = side(100, 1.03, OWN);
    const paired = judgePaired(cpu, base, head, 1);
    expect(paired.verdict).toBe('regressed');
    expect(paired.changePct!).toBeGreaterThan(2);
    expect(paired.changePct!).toBeLessThan(4);
    expect(paired.pairedTest).toBe('sign-flip');
    expect(paired.pairs).toBe(12);
    expect(judgeStatistical(cpu, base, head, false, 1).verdict).toBe('inconclusive');
  });

  it('calls the same build unchanged when the interval fits in the band (A/A)', () => {
    const base = side(
      100,
      1,
      OWN.map(() => 0),
    );
    const head = side(100, 1, OWN);
    expect(judgePaired(cpu, base, head, 2).verdict).toBe('unchanged');
  });

  it('names the better side: −5% req/s is regressed, +5% improved', () => {
    const base = side(
      1000,
      1,
      OWN.map(() => 0),
    );
    expect(judgePaired(rps, base, side(1000, 0.95, OWN), 1).verdict).toBe('regressed');
    expect(judgePaired(rps, base, side(1000, 1.05, OWN), 1).verdict).toBe('improved');
  });

  it('cannot decide with 5 pairs (the sign-flip smallest p is 2/32) and says how many would', () => {
    const r = judgePaired(
      cpu,
      side(
        100,
        1,
        OWN.map(() => 0),
      ).slice(0, 5),
      side(100, 1.2, OWN).slice(0, 5),
      1,
    );
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/cannot reach p/);
    expect(r.roundsNeeded).toBeGreaterThanOrEqual(6);
  });

  it('splits alpha between looks: 6 pairs decide at one look, not when 3 looks are allowed', () => {
    const base = side(
      100,
      1,
      OWN.map(() => 0),
    ).slice(0, 6);
    const head = side(100, 1.2, OWN).slice(0, 6);
    expect(judgePaired(cpu, base, head, 1).verdict).toBe('regressed');
    const capped = judgePaired(cpu, base, head, 1, { looks: 3 });
    expect(capped.verdict).toBe('inconclusive');
    expect(capped.alpha).toBeCloseTo(0.05 / 3, 10);
  });

  it('leaves a pair out when one of its sides was not measured, and counts it', () => {
    const head: (number | null)[] = side(100, 1.2, OWN);
    head[3] = null;
    const r = judgePaired(
      cpu,
      side(
        100,
        1,
        OWN.map(() => 0),
      ),
      head,
      1,
    );
    expect(r.pairs).toBe(11);
    expect(r.pairsDropped).toBe(1);
  });
});

describe('external targets: no server process, no CPU or RSS', () => {
  const external = { cpuFactor: 1 };
  const strip = (results: ReturnType<typeof makeRun>) => {
    for (const c of results.cells)
      for (const r of c.rounds) {
        (r as { serverCpuUsPerRequest: number | null }).serverCpuUsPerRequest = null;
        (r as { serverRssBytes: number | null }).serverRssBytes = null;
      }
    return results;
  };
  it('says n/a for CPU and RSS in a gate file, and still judges req/s', () => {
    const c = compareGateRun(strip(makeGateRun({ rounds: 8 }, external, external)));
    const metrics = c.groups[0]!.cells[0]!.metrics;
    expect(metrics.find((m) => m.metric === 'serverCpuUsPerRequest')!.verdict).toBe('n/a');
    expect(metrics.find((m) => m.metric === 'serverRssBytes')!.verdict).toBe('n/a');
    expect(metrics.find((m) => m.metric === 'requestsPerSec')!.verdict).not.toBe('n/a');
    expect(c.passed).toBe(true);
  });
  it('compares two separate files of external targets without throwing', () => {
    const c = compareResults(strip(makeRun({ seed: 1 })), strip(makeRun({ seed: 2 })));
    expect(c.groups[0]!.cells[0]!.metrics.find((m) => m.metric === 'serverCpuUsPerRequest')!.verdict).toBe('n/a');
  });
});

describe('disturbed rounds', () => {
  it('keep counts judged (foreign CPU does not change them) and make timed metrics inconclusive, never a pass on nothing', () => {
    const run = makeGateRun({ rounds: 6, adapters: ['pg-pool'] }, { queriesPerRequest: 1 }, { queriesPerRequest: 2 });
    for (const cell of run.cells)
      for (const r of cell.rounds) r.validity = { foreignCpuPercent: 80, thresholdPercent: 10, disturbed: true };
    const c = compareGateRun(run);
    const metrics = c.groups[0]!.cells[0]!.metrics;
    expect(metrics.find((m) => m.metric === 'queriesPerRequest')!.verdict).toBe('regressed');
    expect(metrics.find((m) => m.metric === 'requestsPerSec')!.verdict).toBe('inconclusive');
    expect(metrics.find((m) => m.metric === 'requestsPerSec')!.reason).toMatch(/disturbed/);
    expect(c.passed).toBe(false);
    expect(c.groups[0]!.cells[0]!.notes.join(' ')).toMatch(/6 of 6 rounds left out/);
  });
});

describe('a gate file is judged as the gate judged it', () => {
  const alphas = (r: ReturnType<typeof makeGateRun>) =>
    new Set(
      compareGateRun(r)
        .groups.flatMap((g) => g.cells.flatMap((c) => c.metrics))
        .filter((m) => m.alpha !== undefined)
        .map((m) => m.alpha),
    );

  it('tests each look at alpha / looks when the file stores the gate cap of looks', () => {
    const r = makeGateRun({ rounds: 8 }, {}, { cpuFactor: 1.03 });
    expect(alphas(r)).toEqual(new Set([0.05]));
    r.extra = { ...r.extra, gate: { looks: 3 } };
    expect([...alphas(r)].map((a) => a!.toFixed(4))).toEqual([(0.05 / 3).toFixed(4)]);
    // What the reader asks for wins over what the file stores.
    const c = compareGateRun(r, { paired: { looks: 2 } });
    expect(c.groups[0]!.cells[0]!.metrics.find((m) => m.alpha !== undefined)!.alpha).toBeCloseTo(0.025, 6);
  });
});

describe('peak server RSS: one figure per side, not a paired test', () => {
  const MiB = 1024 ** 2;
  function withRss(base: number[], head: number[]) {
    const r = makeGateRun({ rounds: base.length, adapters: ['pg-pool'], scenarios: { 'get-job': 2000 } });
    for (const cell of r.cells)
      cell.rounds.forEach((round, i) => {
        round.serverRssBytes = (cell.side === 'base' ? base : head)[i]! * MiB;
      });
    return compareGateRun(r).groups[0]!.cells[0]!.metrics.find((m) => m.metric === 'serverRssBytes')!;
  }

  it("does not read one server's history as a difference", () => {
    // The shape of gate-calibration-2026-12-07d's aa-5: base's heap shrank after its first window, head's
    // kept growing; every pair has the same sign, which a paired test would call significant.
    const rss = withRss([136, 108, 124, 129, 130, 132, 133, 134], [140, 142, 143, 145, 147, 148, 139, 141]);
    expect(rss.verdict).toBe('unchanged');
    expect(rss.changePct).toBeCloseTo((148 / 136 - 1) * 100, 6);
    expect(rss.reason).toMatch(/peak over the rounds 136 MiB → 148 MiB \(\+8\.8%\), within ±10%/);
  });

  it('still fails a server whose peak grew past the threshold, and says improved for one that shrank', () => {
    expect(withRss([100, 101, 102, 101, 100, 102], [100, 110, 120, 130, 125, 126]).verdict).toBe('regressed');
    expect(withRss([130, 131, 132, 131, 130, 132], [100, 101, 102, 101, 100, 102]).verdict).toBe('improved');
  });
});
