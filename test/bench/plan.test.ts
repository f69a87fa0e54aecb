import { describe, expect, it } from 'vitest';
import { buildSchedule, cellKey } from '../../bench/plan.ts';
import type { TargetSpec } from '../../bench/target.ts';
import type { AdapterName } from '../../src/adapters/registry.ts';

// Made-up adapter names: the schedule only orders targets.
const target = (adapter: string, poolMax = 10): TargetSpec => ({
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

describe('cellKey', () => {
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
      { ...target('a'), shed: 'on' },
      { scenario: 'get-job', connections: 8 },
      { ...target('a'), shed: 'off' },
      { scenario: 'get-job', connections: 8 },
    ],
  ] as const)('tells apart cells that differ in one knob (%#)', (t1, l1, t2, l2) => {
    expect(cellKey(t1, l1)).not.toBe(cellKey(t2, l2));
  });

  it('tells apart the same cell measured by two tools', () => {
    const load = { scenario: 'get-job', connections: 8 } as const;
    expect(cellKey(target('a'), load, 'autocannon')).not.toBe(cellKey(target('a'), load, 'wrk'));
  });
});
