import { describe, expect, it } from 'vitest';
import { buildSchedule, type LoadSpec } from '../../bench/schedule/plan.ts';
import { cellKey } from '../../bench/schedule/cell.ts';
import { cellFieldsOf } from '../../bench/schedule/outcome.ts';
import { visitName } from '../../bench/schedule/progress-lines.ts';
import { parseFaultSchedule } from '../../bench/faults/schedule.ts';
import type { Tool } from '../../bench/results/types.ts';
import type { NodeTargetSpec } from '../../bench/targets/spec.ts';
import type { AdapterName } from '../../src/adapters/registry.ts';

// Made-up adapter names: the schedule only orders targets.
const target = (adapter: string, poolMax = 10): NodeTargetSpec => ({
  adapter: adapter as AdapterName,
  poolMax,
  metrics: 'on',
  via: 'direct',
});

describe('buildSchedule', () => {
  it('puts rounds outside and rotates the target order by one each round', () => {
    const schedule = buildSchedule(
      3,
      [target('a'), target('b'), target('c')],
      [{ scenario: 'get-job', connections: 8 }],
    );
    expect(schedule.map((v) => `${v.round}${v.target.adapter}`)).toEqual([
      '1a',
      '1b',
      '1c',
      '2b',
      '2c',
      '2a',
      '3c',
      '3a',
      '3b',
    ]);
  });

  it('visits every target once per round with every load', () => {
    const loads = [
      { scenario: 'get-job', connections: 8 },
      { scenario: 'search', connections: 8 },
    ] as const;
    const schedule = buildSchedule(4, [target('a'), target('b')], loads);
    expect(schedule).toHaveLength(8);
    for (let round = 1; round <= 4; round++) {
      const visits = schedule.filter((v) => v.round === round);
      expect(visits.map((v) => v.target.adapter).sort()).toEqual(['a', 'b']);
      for (const v of visits) expect(v.loads).toEqual(loads);
    }
  });

  it('with several tools, visits every target × tool once per round, the order rotated each round', () => {
    const schedule = buildSchedule(
      2,
      [target('a'), target('b')],
      [{ scenario: 'health', connections: 8 }],
      ['ac', 'wrk'],
    );
    expect(schedule.map((v) => `${v.round}${v.target.adapter}/${v.runner}`)).toEqual([
      '1a/ac',
      '1a/wrk',
      '1b/ac',
      '1b/wrk',
      '2a/wrk',
      '2b/ac',
      '2b/wrk',
      '2a/ac',
    ]);
  });

  it('returns nothing for zero rounds or no targets', () => {
    expect(buildSchedule(0, [target('a')], [{ scenario: 'health', connections: 1 }])).toEqual([]);
    expect(buildSchedule(3, [], [{ scenario: 'health', connections: 1 }])).toEqual([]);
  });
});

describe('cellKey (the one cell identity, over the persisted fields a schedule builds)', () => {
  const key = (t: NodeTargetSpec, l: LoadSpec, tool: Tool = 'autocannon', label?: string) =>
    cellKey(cellFieldsOf(t, l, tool, label));
  it.each([
    [target('a'), { scenario: 'get-job', connections: 8 }, target('a', 20), { scenario: 'get-job', connections: 8 }],
    [target('a'), { scenario: 'get-job', connections: 8 }, target('b'), { scenario: 'get-job', connections: 8 }],
    [target('a'), { scenario: 'get-job', connections: 8 }, target('a'), { scenario: 'get-job', connections: 16 }],
    [
      target('a'),
      { scenario: 'get-job', connections: 8, rate: 100 },
      target('a'),
      { scenario: 'get-job', connections: 8, rate: 200 },
    ],
    [
      target('a'),
      { scenario: 'get-job', connections: 8, thinkTimeMs: 100 },
      target('a'),
      { scenario: 'get-job', connections: 8, thinkTimeMs: 200 },
    ],
    [
      { ...target('a'), workers: 1 },
      { scenario: 'get-job', connections: 8 },
      { ...target('a'), workers: 4 },
      { scenario: 'get-job', connections: 8 },
    ],
    [
      { ...target('a'), side: 'base' },
      { scenario: 'get-job', connections: 8 },
      { ...target('a'), side: 'head' },
      { scenario: 'get-job', connections: 8 },
    ],
  ] as const)('tells apart cells that differ in one knob (%#)', (t1, l1, t2, l2) => {
    expect(key(t1, l1)).not.toBe(key(t2, l2));
  });

  it('tells apart two --fault schedules of one target and scenario', () => {
    const load = (spec: string): LoadSpec => ({
      scenario: 'get-job',
      connections: 8,
      fault: parseFaultSchedule([spec], { durationS: 10 }),
    });
    expect(key(target('a'), load('latency=5ms@1s-2s'))).not.toBe(key(target('a'), load('reset@1s')));
  });

  it('tells apart the same cell measured by two tools', () => {
    const load = { scenario: 'get-job', connections: 8 } as const;
    expect(key(target('a'), load, 'autocannon')).not.toBe(key(target('a'), load, 'wrk'));
  });

  it('needs a label to tell apart targets whose only difference the cell does not record (shed)', () => {
    const load = { scenario: 'get-job', connections: 8 } as const;
    expect(key({ ...target('a'), shed: 'on' }, load)).toBe(key({ ...target('a'), shed: 'off' }, load));
    expect(key({ ...target('a'), shed: 'on' }, load, 'autocannon', 'shed on')).not.toBe(
      key({ ...target('a'), shed: 'off' }, load, 'autocannon', 'shed off'),
    );
  });
});

describe('visitName (what progress lines call a visit)', () => {
  const spec = target('pg-pool');
  const plan = { rounds: 8, targets: [spec] };
  it('numbers a planned round out of the plan, and names a round past it (the gate extending a cell) as extra', () => {
    expect(visitName(plan, { round: 3, target: spec, loads: [] }, 'autocannon', false)).toBe('round 3/8 · pg-pool');
    expect(visitName(plan, { round: 9, target: spec, loads: [] }, 'autocannon', false)).toBe(
      'round 9 (extra) · pg-pool',
    );
  });
});
