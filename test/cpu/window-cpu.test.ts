/**
 * A real short window: the API (pg-pool) loaded by autocannon through measureWindow, and every CPU number
 * of the round filled in. Correctness only: which fields exist and that they are consistent, not how fast.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureWindow } from '../../bench/window/measure.ts';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import { commOf } from '../../bench/host/procfs.ts';
import { SATURATED_PERCENT } from '../../bench/window/saturation.ts';
import { JOBS, startApi, type Api } from '../k6/support.ts';

describe('the CPU of a real window', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  }, 90_000);
  afterAll(async () => api?.stop());

  it('records generator, server, backend and machine CPU and the generator µs per request', async () => {
    const { round } = await measureWindow({
      round: 1,
      target: api.target,
      spec: { adapter: 'pg-pool', poolMax: 10, metrics: 'on', via: 'direct' },
      load: { scenario: 'get-job', connections: 8 },
      runner: autocannonRunner,
      settings: { warmupS: 0, durationS: 2, timeoutS: 10, seed: 7, jobCount: JOBS },
      databaseUrl: api.db.url,
    });
    const cpu = round.cpu!;
    expect(round.requests).toBeGreaterThan(0);
    expect(cpu.cores).toBeGreaterThanOrEqual(1);
    expect(cpu.generatorThreads).toBe(1);
    expect(cpu.generatorPercent).toBeGreaterThan(0);
    expect(cpu.serverPercent).toBeGreaterThan(0);
    expect(cpu.generatorUsPerRequest).toBeGreaterThan(0);
    expect(cpu.machinePercent).toBeGreaterThan(0);
    // The flags follow from the figures by DESIGN.md rules 6 and 12 (bench/window/saturation.ts), recomputed here
    // from what the round recorded; a figure within rounding of its limit cannot tell, so it is left out.
    const clear = (value: number, limit: number) => Math.abs(value - limit) > 0.2; // three figures of 0.1
    const generatorLimit = SATURATED_PERCENT * Math.min(cpu.generatorThreads, cpu.cores);
    if (clear(round.generatorCpuPercent, generatorLimit))
      expect(round.generatorBound).toBe(round.generatorCpuPercent >= generatorLimit);
    const busiest = cpu.generatorPercent + cpu.serverPercent + (cpu.dbPercent ?? 0); // the run's own
    if (clear(busiest, SATURATED_PERCENT * cpu.cores))
      expect(round.machineSaturated).toBe(busiest >= SATURATED_PERCENT * cpu.cores);
    // The test database is on this machine when a process named postgres is visible here.
    const local = readdirSync('/proc').some((p) => /^\d+$/.test(p) && commOf(Number(p)) === 'postgres');
    if (local) expect(cpu.dbPercent).toBeGreaterThan(0);
    else expect(cpu.dbNote).toMatch(/not on this machine|not a local postgres|no backend/);
    expect(cpu.oursPercent).toBeCloseTo(cpu.generatorPercent + cpu.serverPercent + (cpu.dbPercent ?? 0), 0);
  }, 60_000);
});
