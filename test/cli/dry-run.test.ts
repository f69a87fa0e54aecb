/**
 * `jobbench run --dry-run`: the plan and its estimated duration, from the plan alone (the sum of its
 * parts), and nothing started — not even the database (an unreachable DATABASE_URL does not matter).
 */
import { describe, expect, it } from 'vitest';
import { dryRunText } from '../../cli/dry-run.ts';
import { RUN_COSTS } from '../../bench/schedule/costs.ts';
import { runCli } from './support.ts';

const schedule = {
  rounds: 3,
  targets: [
    { kind: 'node', adapter: 'pg-pool', poolMax: 10, metrics: 'on', via: 'direct' },
    { kind: 'node', adapter: 'postgres-js', poolMax: 10, metrics: 'on', via: 'direct' },
  ],
  loads: [
    { scenario: 'health', connections: 8 },
    { scenario: 'get-job', connections: 8 },
  ],
  settings: { warmupS: 2, durationS: 5, timeoutS: 10, seed: 42, jobCount: 100 },
} as unknown as Parameters<typeof dryRunText>[1];

const seconds = (text: string) => {
  const m = /estimated total (?:(\d+) min )?(\d+) s$/.exec(text)!;
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
};

describe('jobbench run --dry-run', () => {
  it('estimates the sum of the plan: windows, server starts, ceilings, the embedded database', () => {
    const c = RUN_COSTS;
    const windows = 3 * 2 * 2;
    const expected = windows * (2 + 5 + c.betweenWindowsS) + 3 * 2 * c.serverStartS;
    const text = dryRunText('run', schedule, { ceilings: false, embeddedDb: false });
    expect(text).toMatch(/^plan \(run\): 3 rounds × 2 targets × 2 loads = 12 windows of 2 s warm-up \+ 5 s measured/);
    expect(seconds(text)).toBe(Math.round(expected));
    // Ceilings: one HTTP ceiling, one DB ceiling per (scenario, connections) that uses the database.
    const withAll = dryRunText('run', schedule, { ceilings: true, embeddedDb: true });
    expect(seconds(withAll)).toBe(Math.round(expected + c.httpCeilingS + c.dbCeilingS + c.embeddedDbS));
    // Servers kept across rounds start once per target.
    const kept = dryRunText('run', { ...schedule, keepServers: true }, { ceilings: false, embeddedDb: false });
    expect(seconds(kept)).toBe(Math.round(windows * (2 + 5 + c.betweenWindowsS) + 2 * c.serverStartS));
  });

  it('prints the plan and exits 0 without starting anything', async () => {
    const r = await runCli(['run', '--profile', 'smoke', '--adapters', 'pg-pool,postgres-js', '--dry-run'], {
      env: { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/nowhere' },
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^plan \(run\): 1 round × 2 targets × 1 load = 2 windows/);
    expect(lines.at(-1)).toMatch(/^dry run: nothing started; estimated total \d+ s$/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120);
  });
});
