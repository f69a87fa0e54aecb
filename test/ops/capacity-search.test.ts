import { describe, expect, it } from 'vitest';
import {
  nextStep,
  searchCeiling,
  sloBreach,
  type LevelOutcome,
  type SearchSettings,
} from '../../bench/levels/search.ts';

const SLO = { p99Ms: 100, maxErrorRate: 0.01 };
const ok = (connections: number): LevelOutcome => ({ connections, errorRate: 0, p99Ms: 20, requestsPerSec: 1000 });
const slow = (connections: number): LevelOutcome => ({ connections, errorRate: 0, p99Ms: 250, requestsPerSec: 1000 });
const erring = (connections: number): LevelOutcome => ({
  connections,
  errorRate: 0.05,
  p99Ms: 20,
  requestsPerSec: 1000,
});

/** Drives the search against a server that holds up to `capacity` connections; returns the levels tried and the stop. */
function simulate(capacity: number, settings: SearchSettings) {
  const measured: LevelOutcome[] = [];
  for (let i = 0; i < 100; i++) {
    const step = nextStep(measured, settings);
    if (step.action === 'stop') return { tried: measured.map((m) => m.connections), step };
    measured.push(step.connections <= capacity ? ok(step.connections) : slow(step.connections));
  }
  throw new Error('the search did not stop');
}

describe('sloBreach', () => {
  it.each([
    { outcome: ok(8), expected: null },
    { outcome: slow(8), expected: 'p99 250.0 ms > 100 ms' },
    { outcome: erring(8), expected: 'error rate 5.00% ≥ 1.00%' },
    {
      outcome: { connections: 8, errorRate: 0.5, p99Ms: 101, requestsPerSec: 1 },
      expected: 'error rate 50.0% ≥ 1.00% and p99 101.0 ms > 100 ms',
    },
    { outcome: { connections: 8, errorRate: 0.0099, p99Ms: 100, requestsPerSec: 1 }, expected: null }, // both exactly at the edge hold
  ])('$outcome.errorRate errors, p99 $outcome.p99Ms ms -> $expected', ({ outcome, expected }) => {
    expect(sloBreach(outcome, SLO)).toBe(expected);
  });
});

describe('nextStep', () => {
  const base: SearchSettings = { startConnections: 8, maxConnections: 5000, slo: SLO };

  it.each([
    { name: 'starts at the start level', measured: [], expected: 8 },
    { name: 'doubles while levels hold', measured: [ok(8), ok(16)], expected: 32 },
    {
      name: 'caps the doubling at --max-connections',
      measured: [ok(8), ok(16), ok(32), ok(64), ok(128), ok(256), ok(512), ok(1024), ok(2048), ok(4096)],
      expected: 5000,
    },
    { name: 'bisects between the last held and the first failed', measured: [ok(8), ok(16), slow(32)], expected: 24 },
    { name: 'keeps bisecting on the failing side', measured: [ok(8), ok(16), slow(32), slow(24)], expected: 20 },
    { name: 'keeps bisecting on the holding side', measured: [ok(8), ok(16), slow(32), ok(24)], expected: 28 },
    { name: 'treats errors like a p99 breach', measured: [ok(8), erring(16)], expected: 12 },
    { name: 'bisects below the start when the start fails', measured: [slow(8)], expected: 4 },
    {
      name: 'is conservative with noise: a failure below a held level wins',
      measured: [ok(8), slow(16), ok(32)],
      expected: 12,
    },
    { name: 'a level held once and failed once counts as failed', measured: [ok(8), ok(16), slow(16)], expected: 12 },
  ])('$name', ({ measured, expected }) => {
    expect(nextStep(measured, base)).toMatchObject({ action: 'measure', connections: expected });
  });

  it.each([
    {
      name: 'within 10% of the held level',
      measured: [ok(8), ok(16), ok(32), ok(64), slow(128), ok(96), ok(112), slow(120)],
      held: 112,
      failing: 120,
      by: 'slo',
    },
    {
      name: 'one connection apart at small levels',
      measured: [ok(1), ok(2), slow(4), ok(3)],
      held: 3,
      failing: 4,
      by: 'slo',
    },
    {
      name: 'nothing held, down to one connection',
      measured: [slow(8), slow(4), slow(2), slow(1)],
      held: null,
      failing: 1,
      by: 'slo',
    },
    {
      name: 'held at --max-connections',
      measured: [ok(8), ok(16), ok(20)],
      held: 20,
      failing: null,
      by: 'max-connections',
      max: 20,
    },
  ])('stops: $name', ({ measured, held, failing, by, max }) => {
    expect(nextStep(measured, { ...base, ...(max ? { maxConnections: max } : {}) })).toMatchObject({
      action: 'stop',
      heldConnections: held,
      firstFailingConnections: failing,
      stoppedBy: by,
    });
  });

  it('stops at the file-descriptor limit and says so, when it is below --max-connections', () => {
    const settings = { ...base, fdMaxConnections: 900 };
    expect(searchCeiling(settings)).toEqual({ connections: 900, limit: 'fd-limit' });
    expect(nextStep([ok(8), ok(16), ok(32), ok(64), ok(128), ok(256), ok(512)], settings)).toMatchObject({
      action: 'measure',
      connections: 900,
    });
    expect(nextStep([ok(512), ok(900)], settings)).toMatchObject({
      action: 'stop',
      heldConnections: 900,
      stoppedBy: 'fd-limit',
    });
  });

  it('ignores an fd limit above --max-connections', () => {
    expect(searchCeiling({ ...base, fdMaxConnections: 10_000 })).toEqual({
      connections: 5000,
      limit: 'max-connections',
    });
  });

  it('clamps a start above the ceiling', () => {
    expect(nextStep([], { ...base, startConnections: 64, maxConnections: 10 })).toMatchObject({
      action: 'measure',
      connections: 10,
    });
  });

  it.each([{ start: 0 }, { start: 1.5 }])('rejects a start of $start', ({ start }) => {
    expect(() => nextStep([], { ...base, startConnections: start })).toThrow(RangeError);
  });

  it.each([
    { capacity: 0, start: 8, held: null },
    { capacity: 1, start: 8, held: 1 },
    { capacity: 100, start: 8, held: 96 },
    { capacity: 700, start: 8, held: 640 },
    { capacity: 3000, start: 8, held: 2816 },
    { capacity: 10_000, start: 8, held: 5000 },
  ])(
    'converges on a server that holds $capacity connections (held $held), never trying a level twice',
    ({ capacity, start, held }) => {
      const { tried, step } = simulate(capacity, { ...base, startConnections: start });
      expect(step).toMatchObject({ action: 'stop', heldConnections: held });
      expect(new Set(tried).size).toBe(tried.length);
      if (step.action === 'stop' && step.heldConnections !== null && step.firstFailingConnections !== null) {
        expect(step.heldConnections).toBeLessThanOrEqual(capacity);
        expect(step.firstFailingConnections - step.heldConnections).toBeLessThanOrEqual(
          Math.max(1, step.heldConnections * 0.1),
        );
      }
      expect(tried.length).toBeLessThan(20);
    },
  );
});
