/**
 * The window's probe manager (bench/window/probe.ts), k6's output manager for observers: order, cleanup
 * when a probe fails to start, every probe stopped when one fails to stop, and the parts merged.
 */
import { describe, expect, it } from 'vitest';
import { probeManager, type Probe, type ProbeContext, type ProbeReport } from '../../bench/window/probe.ts';

function recorder(log: string[]) {
  return (
    name: string,
    options: { from?: 'warmup'; failStart?: boolean; failStop?: boolean; report?: ProbeReport } = {},
  ): Probe => ({
    name,
    ...(options.from ? { from: options.from } : {}),
    async start() {
      log.push(`start ${name}`);
      if (options.failStart) throw new Error(`${name} cannot start`);
    },
    async stop() {
      log.push(`stop ${name}`);
      if (options.failStop) throw new Error(`${name} cannot stop`);
      return options.report ?? {};
    },
  });
}

const context = () => ({}) as ProbeContext; // these probes read nothing from it

describe('probeManager', () => {
  it('starts the probes in order and stops them in reverse, merging their parts', async () => {
    const log: string[] = [];
    const probe = recorder(log);
    const manager = probeManager(
      [
        probe('pin', {
          from: 'warmup',
          report: { round: { cpu: { affinity: { server: '0', generator: '1', db: null } } } },
        }),
        probe('a', { report: { round: { dbBackends: 3 }, lost: ['a lost it'] } }),
        probe('b', { report: { round: { cpu: { cores: 2, serverPercent: 50 } } } }),
      ],
      context,
    );
    await manager.start('warmup');
    expect(log).toEqual(['start pin']);
    await manager.start('measure');
    const report = await manager.stop({});
    expect(log).toEqual(['start pin', 'start a', 'start b', 'stop b', 'stop a', 'stop pin']);
    expect(report.round).toEqual({
      dbBackends: 3,
      cpu: { cores: 2, serverPercent: 50, affinity: { server: '0', generator: '1', db: null } },
    });
    expect(Object.keys(report.round.cpu!)).toEqual(['cores', 'serverPercent', 'affinity']); // the later stopped, last
    expect(report.lost).toEqual(['a lost it']);
  });

  it('when a probe throws in start, stops those started before it in reverse (warm-up ones too) and rethrows', async () => {
    const log: string[] = [];
    const probe = recorder(log);
    const manager = probeManager(
      [probe('pin', { from: 'warmup' }), probe('a'), probe('b'), probe('c', { failStart: true }), probe('d')],
      context,
    );
    await manager.start('warmup');
    await expect(manager.start('measure')).rejects.toThrow(/^c cannot start$/);
    expect(log).toEqual(['start pin', 'start a', 'start b', 'start c', 'stop b', 'stop a', 'stop pin']);
    await manager.stop({}); // the window's own cleanup afterwards: nothing is stopped twice
    expect(log.filter((l) => l.startsWith('stop'))).toHaveLength(3);
  });

  it('names a failure to stop while cleaning up after a failure to start', async () => {
    const probe = recorder([]);
    const manager = probeManager([probe('a', { failStop: true }), probe('b', { failStart: true })], context);
    await expect(manager.start('measure')).rejects.toThrow(
      /^b cannot start \(and while stopping the probes already started: a: a cannot stop\)$/,
    );
  });

  it('when a probe throws in stop, still stops every other one, then throws naming each failure', async () => {
    const log: string[] = [];
    const probe = recorder(log);
    const manager = probeManager(
      [probe('a'), probe('b', { failStop: true }), probe('c'), probe('d', { failStop: true }), probe('e')],
      context,
    );
    await manager.start('measure');
    const error = await manager.stop({}).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop e', 'stop d', 'stop c', 'stop b', 'stop a']);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toBe('probe failed to stop: d: d cannot stop; b: b cannot stop');
    expect((error as AggregateError).errors).toHaveLength(2);
  });

  it('gives each probe its own context', async () => {
    const seen: string[] = [];
    const probe = (name: string): Probe => ({
      name,
      async start(ctx) {
        seen.push(`${name}:${(ctx as unknown as { owner: string }).owner}`);
      },
      async stop() {
        return {};
      },
    });
    const manager = probeManager([probe('a'), probe('b')], (p) => ({ owner: p.name }) as unknown as ProbeContext);
    await manager.start('measure');
    expect(seen).toEqual(['a:a', 'b:b']);
  });
});
