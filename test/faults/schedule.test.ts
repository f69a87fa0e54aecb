import { describe, expect, it } from 'vitest';
import { FAULT_ERROR_CODES, FAULT_ERRORS, FaultSpecError, type FaultErrorCode } from '../../bench/faults/errors.ts';
import {
  EMPTY_SCHEDULE,
  FAULT_KIND_NAMES,
  FAULT_KINDS,
  faultHelpLines,
  faultSpanMs,
  parseFaultSchedule,
} from '../../bench/faults/schedule.ts';

const measured = { durationS: 10 };

describe('parseFaultSchedule', () => {
  it.each([
    ['db-restart@5s', { kind: 'db-restart', atMs: 5000 }],
    ['db-down@3s-8s', { kind: 'db-down', startMs: 3000, endMs: 8000 }],
    ['latency=50ms@2s-6s', { kind: 'latency', latencyMs: 50, startMs: 2000, endMs: 6000 }],
    ['latency=0.5s@2s-6s', { kind: 'latency', latencyMs: 500, startMs: 2000, endMs: 6000 }],
    ['reset@4s', { kind: 'reset', atMs: 4000 }],
    ['server-kill@5s', { kind: 'server-kill', atMs: 5000 }],
    ['reset@1500ms', { kind: 'reset', atMs: 1500 }],
    ['db-restart@0s', { kind: 'db-restart', atMs: 0 }],
    ['db-down@2.5s-9.9s', { kind: 'db-down', startMs: 2500, endMs: 9900 }],
  ])('reads %s', (spec, fault) => {
    expect(parseFaultSchedule(spec, measured).faults).toEqual([{ spec, ...fault }]);
  });

  it('takes several specs, comma-separated or repeated, sorted by start time', () => {
    const s = parseFaultSchedule(['server-kill@7s, reset@4s', 'latency=50ms@2s-6s'], measured);
    expect(s.faults.map((f) => f.spec)).toEqual(['latency=50ms@2s-6s', 'reset@4s', 'server-kill@7s']);
    expect(s.faults.map((f) => faultSpanMs(f))).toEqual([
      { startMs: 2000, endMs: 6000 },
      { startMs: 4000, endMs: 4000 },
      { startMs: 7000, endMs: 7000 },
    ]);
    expect(s.durationS).toBe(10);
  });

  it.each([
    [['db-restart@5s'], false],
    [['server-kill@5s', 'db-restart@6s'], false],
    [['db-down@3s-8s'], true],
    [['server-kill@1s', 'reset@4s'], true],
  ])('knows whether %j needs Toxiproxy: %s', (specs, needsProxy) => {
    expect(parseFaultSchedule(specs, measured).needsProxy).toBe(needsProxy);
  });

  it('returns a frozen schedule', () => {
    const s = parseFaultSchedule('db-down@3s-8s', measured);
    expect(Object.isFrozen(s) && Object.isFrozen(s.faults) && Object.isFrozen(s.faults[0])).toBe(true);
  });

  it('reads no specs as an empty schedule', () => {
    expect(parseFaultSchedule([], measured)).toEqual({ ...EMPTY_SCHEDULE, durationS: 10 });
    expect(parseFaultSchedule(' , ', measured).faults).toEqual([]);
  });

  it('allows faults of different kinds at the same time, and one kind at separate times', () => {
    expect(parseFaultSchedule('db-down@2s-5s,latency=20ms@3s-6s,reset@3s', measured).faults).toHaveLength(3);
    expect(parseFaultSchedule('reset@2s,reset@5s,db-down@1s-2s,db-down@2s-3s', measured).faults).toHaveLength(4);
  });
});

describe('bad --fault input', () => {
  it.each<[string | string[], FaultErrorCode, RegExp]>([
    ['db-restart', 'JOBBENCH_ERR_FAULT_SYNTAX', /not <kind>/],
    ['db-restart@5', 'JOBBENCH_ERR_FAULT_SYNTAX', /not <kind>/],
    ['db-restart@5m', 'JOBBENCH_ERR_FAULT_SYNTAX', /not <kind>/],
    ['db-down@3s-', 'JOBBENCH_ERR_FAULT_SYNTAX', /not <kind>/],
    ['DB-RESTART@5s', 'JOBBENCH_ERR_FAULT_KIND', /unknown fault "DB-RESTART"/],
    ['latncy=50ms@2s-6s', 'JOBBENCH_ERR_FAULT_KIND', /unknown fault "latncy"/],
    ['toString@1s', 'JOBBENCH_ERR_FAULT_KIND', /unknown fault "toString"/],
    ['latency@2s-6s', 'JOBBENCH_ERR_FAULT_VALUE', /latency needs a value such as latency=50ms/],
    ['latency=fast@2s-6s', 'JOBBENCH_ERR_FAULT_VALUE', /needs a value/],
    ['latency=0ms@2s-6s', 'JOBBENCH_ERR_FAULT_VALUE', /must be 1-60000 ms, got 0 ms/],
    ['latency=2min@2s-6s', 'JOBBENCH_ERR_FAULT_VALUE', /needs a value/],
    ['reset=1@4s', 'JOBBENCH_ERR_FAULT_VALUE', /reset takes no value/],
    ['reset@4s-5s', 'JOBBENCH_ERR_FAULT_TIMING', /reset happens at one moment/],
    ['db-down@3s', 'JOBBENCH_ERR_FAULT_TIMING', /db-down holds over a window/],
    ['db-down@8s-3s', 'JOBBENCH_ERR_FAULT_TIMING', /ends \(3000 ms\) before it starts \(8000 ms\)/],
    ['db-down@3s-3s', 'JOBBENCH_ERR_FAULT_TIMING', /before it starts/],
    [
      'db-restart@10s',
      'JOBBENCH_ERR_FAULT_OUTSIDE_WINDOW',
      /clears at 10 s, not before the measured window ends at 10 s/,
    ],
    ['db-down@3s-12s', 'JOBBENCH_ERR_FAULT_OUTSIDE_WINDOW', /clears at 12 s/],
    [['db-down@2s-5s', 'db-down@4s-6s'], 'JOBBENCH_ERR_FAULT_OVERLAP', /"db-down@4s-6s": overlaps "db-down@2s-5s"/],
    ['reset@4s,reset@4000ms', 'JOBBENCH_ERR_FAULT_OVERLAP', /overlaps "reset@4s"/],
  ])('rejects %j with %s', (specs, code, why) => {
    let err: unknown;
    try {
      parseFaultSchedule(specs, measured);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FaultSpecError);
    const e = err as FaultSpecError;
    expect(e.code).toBe(code);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(why);
    expect(e.message).not.toContain('\n'); // one line
    expect(e.message).toMatch(/^--fault "[^"]+": /); // names the spec
    expect(e.message).toContain(
      'valid: db-restart@<t>, db-down@<from>-<to>, latency=<ms>ms@<from>-<to>, reset@<t>, server-kill@<t>',
    );
  });
});

describe('the fault tables', () => {
  it('give every kind a help line with an example that parses', () => {
    expect(faultHelpLines()).toHaveLength(FAULT_KIND_NAMES.length);
    for (const kind of FAULT_KIND_NAMES) {
      expect(parseFaultSchedule(FAULT_KINDS[kind].example, measured).faults[0]!.kind).toBe(kind);
    }
  });

  it('give every error code a meaning', () => {
    for (const code of FAULT_ERROR_CODES) {
      expect(code).toMatch(/^JOBBENCH_ERR_FAULT_[A-Z_]+$/);
      expect(FAULT_ERRORS[code].length).toBeGreaterThan(0);
    }
  });
});
