import { describe, expect, it } from 'vitest';
import { gateExtension, gateLooks, GATE_SEQUENTIAL } from '../../bench/kinds/gate/sequential.ts';
import { buildSchedule, type LoadSpec } from '../../bench/schedule/plan.ts';
import type { TargetSpec } from '../../bench/targets/spec.ts';
import { resolveThresholds } from '../../bench/compare/thresholds.ts';
import { makeGateRun } from '../fixtures/make-compare-results.ts';

const target = (side: 'base' | 'head'): TargetSpec => ({
  adapter: 'pg-pool',
  poolMax: 10,
  metrics: 'on',
  via: 'direct',
  side,
});
const load = (scenario: 'get-job' | 'search'): LoadSpec => ({ scenario, connections: 10 });

describe('the gate adds rounds to undecided cells only, up to its cap', () => {
  it('counts its looks before the first one: 12 rounds capped at 20 in steps of 4 is 3 looks', () => {
    expect(GATE_SEQUENTIAL.stepRounds).toBe(4);
    expect(gateLooks(12, 20)).toBe(3);
    expect(gateLooks(6, 6)).toBe(1);
    expect(gateLooks(12, 13)).toBe(2);
  });

  it('continues the round numbers and the rotation after a look', () => {
    const targets = [target('base'), target('head')];
    const first = buildSchedule(2, targets, [load('get-job')]);
    const more = buildSchedule(2, targets, [load('get-job')], [], 3);
    expect(first.map((v) => `${v.round}${v.target.side}`)).toEqual(['1base', '1head', '2head', '2base']);
    expect(more.map((v) => `${v.round}${v.target.side}`)).toEqual(['3base', '3head', '4head', '4base']);
  });

  it('extends a noisy cell with a change it cannot yet tell from none, and not a clear one', () => {
    // 6 rounds of ±6% noise per window: CPU +4% is undecided (band ±5% for cpu); a cell at 2% noise and no change is not.
    const noisy = makeGateRun(
      { rounds: 6, noisePct: 6, adapters: ['pg-pool'], scenarios: { search: 3000 } },
      {},
      { cpuFactor: 1.04 },
    );
    const extend = gateExtension(20, { paired: { looks: gateLooks(6, 20) } });
    const more = extend(noisy, 6);
    expect(more).not.toBeNull();
    expect(more!.rounds).toBe(4);
    expect(more!.measure(target('head'), load('search'))).toBe(true);
    expect(more!.measure(target('head'), load('get-job'))).toBe(false);
    expect(extend(noisy, 20)).toBeNull(); // the cap
  });

  it('stops when every cell is decided', () => {
    const clear = makeGateRun({ rounds: 12, noisePct: 0.2, adapters: ['pg-pool'] }, {}, {});
    const thresholds = resolveThresholds({}, ['rps=50', 'p50=50', 'p99=50', 'cpu=50', 'rss=50']);
    const extend = gateExtension(20, { thresholds, paired: { looks: 3 } });
    expect(extend(clear, 12)).toBeNull();
  });
});
