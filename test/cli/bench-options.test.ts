import { describe, expect, it } from 'vitest';
import { readBenchOptions } from '../../cli/bench-options.ts';

describe('readBenchOptions', () => {
  it('returns frozen options, lists included, in its new form', async () => {
    const options = await readBenchOptions({ adapters: 'postgres-js', rounds: '2' });
    expect(options.adapters).toEqual(['postgres-js']);
    expect(options.rounds).toBe(2);
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options.adapters)).toBe(true);
    expect(Object.isFrozen(options.scenarios)).toBe(true);
    expect(Object.isFrozen(options.connections)).toBe(true);
  });

  it('puts `include` first only when the user named adapters without it', async () => {
    const include = { include: ['pg-pool'] as const };
    expect((await readBenchOptions({ adapters: 'postgres-js' }, include)).adapters).toEqual(['pg-pool', 'postgres-js']);
    expect((await readBenchOptions({ adapters: 'postgres-js,pg-pool' }, include)).adapters).toEqual([
      'postgres-js',
      'pg-pool',
    ]);
  });

  it('takes a list of tools only where the command interleaves them, repeats dropped', async () => {
    const one = await readBenchOptions({ adapters: 'pg-pool' });
    expect([one.tool, one.tools]).toEqual(['autocannon', ['autocannon']]);
    const two = await readBenchOptions({ adapters: 'pg-pool', tool: 'autocannon,wrk' }, { toolList: true });
    expect([two.tool, two.tools]).toEqual(['autocannon', ['autocannon', 'wrk']]);
    await expect(readBenchOptions({ tool: 'autocannon,wrk' })).rejects.toThrow(
      'a list (--tool autocannon,wrk) only in jobbench run',
    );
    expect((await readBenchOptions({ adapters: 'pg-pool', tool: 'wrk,wrk' }, { toolList: true })).tools).toEqual([
      'wrk',
    ]);
    await expect(readBenchOptions({ tool: 'ab' }, { toolList: true })).rejects.toThrow('--tool');
  });

  it('runs the soak profile on pg-pool unless --adapters says otherwise', async () => {
    expect((await readBenchOptions({ profile: 'soak' })).adapters).toEqual(['pg-pool']);
    expect((await readBenchOptions({ profile: 'soak', adapters: 'postgres-js' })).adapters).toEqual(['postgres-js']);
  });

  it('rejects bad input before looking at the adapters', async () => {
    await expect(readBenchOptions({ profile: 'huge' })).rejects.toThrow('--profile: unknown value "huge"');
  });
});
