import { describe, expect, it } from 'vitest';
import { pythonSettings } from '../../bench/targets/python.ts';
import { availableFastapiTargets } from '../../bench/targets/select.ts';
import { FASTAPI_TARGET_NAMES } from '../../bench/targets/fastapi-targets.ts';
import { SCENARIO_NAMES } from '../../scenarios/catalog.ts';
import { PROFILES, PROFILE_NAMES } from '../../scenarios/profiles.ts';
import { ADAPTER_NAMES, adapterAvailability } from '../../src/adapters/registry.ts';
import { runCli } from './support.ts';

interface Listing {
  adapters: { name: string; available: boolean; reason?: string }[];
  fastapi: { name: string; available: boolean; reason?: string }[];
  scenarios: { name: string }[];
  profiles: { name: string; rounds: number; warmupS: number; durationS: number; windowsPerTargetS: number }[];
  tools: { name: string; path: string | null }[];
}

describe('jobbench list', () => {
  it('lists every adapter, FastAPI target, scenario, profile and tool, each availability as this machine has it', async () => {
    const r = await runCli(['list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const l = JSON.parse(r.stdout) as Listing;
    expect(l.adapters.map((a) => a.name)).toEqual(ADAPTER_NAMES);
    for (const a of l.adapters) expect(a.available).toBe((await adapterAvailability(a.name as never)).available);
    const { unavailable } = await availableFastapiTargets(FASTAPI_TARGET_NAMES, pythonSettings());
    expect(l.fastapi.filter((f) => !f.available).map((f) => f.name)).toEqual(unavailable.map((u) => u.name));
    expect(l.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    expect(l.profiles.map((p) => p.name)).toEqual(PROFILE_NAMES);
    const quick = l.profiles.find((p) => p.name === 'quick')!;
    const q = PROFILES.quick;
    expect(quick.windowsPerTargetS).toBe(
      q.rounds * q.scenarios.length * q.connections.length * (q.warmupS + q.durationS),
    );
    expect(l.tools.map((t) => t.name)).toEqual(['k6', 'wrk', 'toxiproxy', 'valgrind', 'prometheus', 'pgbouncer']);
  }, 300_000); // probes python3 for every FastAPI target's modules: slow on a busy machine, not timed

  it('prints the same as text that fits 120 columns and ends with a summary line', async () => {
    const r = await runCli(['list']);
    expect(r.code, r.stderr).toBe(0);
    for (const name of [...ADAPTER_NAMES, ...FASTAPI_TARGET_NAMES, ...SCENARIO_NAMES, ...PROFILE_NAMES])
      expect(r.stdout).toContain(name);
    expect(Math.max(...r.stdout.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(120);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^(summary: | {2})/);
    expect(r.stdout).toMatch(/summary: \d+ of \d+ targets can run here/);
  }, 300_000);
});
