/** The saturation flags, table-driven (pure), and the backends' locality check. */
import { describe, expect, it } from 'vitest';
import { saturationOf } from '../../bench/window/saturation.ts';
import { windowCpuOf } from '../../bench/window/cpu.ts';
import { backendsNotLocal } from '../../bench/window/probes/cpu.ts';

const base = {
  cores: 2,
  generatorThreads: 1,
  generatorPercent: 40,
  serverPercent: 60,
  dbPercent: 20,
  machinePercent: 130,
};

describe('saturationOf', () => {
  it.each([
    ['an idle-ish machine', {}, false, false],
    ['one event loop at 92% of a core', { generatorPercent: 92 }, true, false],
    [
      'wrk with 2 threads at 120% (60% per thread) is not bound',
      { generatorThreads: 2, generatorPercent: 120, serverPercent: 30, dbPercent: 10 },
      false,
      false,
    ],
    [
      'wrk with 2 threads at 185% is bound',
      { generatorThreads: 2, generatorPercent: 185, serverPercent: 5, dbPercent: 0, machinePercent: 190 },
      true,
      true,
    ],
    [
      '4 threads on 2 cores: bound at 90% of the 2 cores',
      { generatorThreads: 4, cores: 2, generatorPercent: 181, serverPercent: 0, dbPercent: 0, machinePercent: 0 },
      true,
      true,
    ],
    ['our processes use 1.85 of 2 cores', { generatorPercent: 85, serverPercent: 87, dbPercent: 13 }, false, true],
    // Others' load is not saturation by the run: the machine probe calls such a window disturbed.
    ['others saturate the machine', { machinePercent: 195 }, false, false],
    [
      'db not measured: ours without it',
      { generatorPercent: 80, serverPercent: 90, dbPercent: null, machinePercent: 100 },
      false,
      false,
    ],
    [
      '8 cores, 180% busy is not saturated',
      { cores: 8, generatorPercent: 80, serverPercent: 100, dbPercent: 0, machinePercent: 180 },
      false,
      false,
    ],
  ] as const)('%s', (_name, over, bound, saturated) => {
    const flags = saturationOf({ ...base, ...over });
    expect(flags.generatorBound).toBe(bound);
    expect(flags.machineSaturated).toBe(saturated);
  });

  it('fills a synthetic saturated window with both flags and the generator cost per request', () => {
    const cpu = windowCpuOf({
      reading: { wallS: 2, serverCpuUs: 1.74e6, dbCpuUs: 0.3e6, machineBusyUs: 3.9e6 },
      measurement: { generatorCpuUs: 1.8e6, durationS: 2, requests: 20_000 },
      tool: 'autocannon',
      cores: 2,
    });
    expect(cpu).toMatchObject({
      generatorPercent: 90,
      serverPercent: 87,
      dbPercent: 15,
      machinePercent: 195,
      oursPercent: 192,
      generatorUsPerRequest: 90,
      generatorThreads: 1,
      generatorBound: true,
      machineSaturated: true,
    });
  });
});

describe('backendsNotLocal', () => {
  it('accepts local postgres backends and names a foreign pid', () => {
    expect(backendsNotLocal([10, 11], () => 'postgres')).toBeUndefined();
    expect(backendsNotLocal([10, 11], (pid) => (pid === 11 ? undefined : 'postgres'))).toMatch(
      /pid 11 is not a local postgres/,
    );
    expect(backendsNotLocal([])).toMatch(/no backend/);
  });
});
