/**
 * `jobbench run --dry-run`: the plan and its estimated duration, from the plan alone (the sum of its
 * parts), and nothing started — not even the database (an unreachable DATABASE_URL does not matter).
 */
import { describe, expect, it } from 'vitest';
import { dryRunText } from '../../cli/dry-run.ts';
import { RUN_COSTS } from '../../bench/schedule/costs.ts';
import { levelCountRange } from '../../bench/levels/estimate.ts';
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

describe('capacity levels: fewest and most, from the search itself', () => {
  it('counts the levels of the search itself: doublings while levels hold, then bisection', () => {
    const slo = { p99Ms: 100, maxErrorRate: 0.01 };
    // 8 and 16 hold: 2 levels. 16 fails: bisect 12, 14, 15, all holding: 5 levels (15 → 16 is within 1 connection).
    expect(levelCountRange({ startConnections: 8, maxConnections: 16, slo })).toEqual({ min: 2, max: 5 });
    expect(levelCountRange({ startConnections: 1, maxConnections: 1, slo })).toEqual({ min: 1, max: 1 });
    // From 1 to 1024: 1 fails at once (1 level); holding to 1024 takes 11 doublings, bisection more.
    const wide = levelCountRange({ startConnections: 1, maxConnections: 1024, slo });
    expect(wide.min).toBe(1);
    expect(wide.max).toBeGreaterThan(11);
  });
});

describe('--dry-run on every benchmark command', () => {
  const unreachable = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/nowhere' };
  const cases: [string, string[]][] = [
    ['sweep', ['sweep', '--adapters', 'pg-pool', '--pool', '2,8', '--rounds', '2']],
    ['capacity', ['capacity', '--adapters', 'pg-pool,postgres-js', '--start', '8', '--max-connections', '64']],
    ['adr', ['adr', '--stack', 'node', '--adapters', 'pg-pool', '--rounds', '5', '--no-capacity']],
    ['adr', ['adr', '--stack', 'node', '--adapters', 'pg-pool', '--rounds', '5', '--latency-tool', 'autocannon']],
    ['gate', ['gate', '--base', 'HEAD', '--quick']],
    ['gate', ['gate', '--base-target', 'http://127.0.0.1:1', '--head-target', 'http://127.0.0.1:2', '--quick']],
  ];
  it.each(cases)('%s prints its plan and an estimated total, starts nothing, fits 120 columns', async (kind, argv) => {
    const r = await runCli([...argv, '--dry-run'], { env: unreachable });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^plan \\(${kind}\\): `));
    expect(lines.at(-1)).toMatch(
      /^dry run: nothing started; estimated total \d+ (min \d+ s|s)( to \d+ (min \d+ s|s))?$/,
    );
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120);
  });

  it('gives a range where the run decides its size: capacity levels, a gate’s extra rounds', async () => {
    const capacity = await runCli(
      ['capacity', '--adapters', 'pg-pool', '--start', '8', '--max-connections', '64', '--dry-run'],
      { env: unreachable },
    );
    expect(capacity.stdout).toMatch(/estimated total .+ to .+$/m);
    const gate = await runCli(['gate', '--base', 'HEAD', '--dry-run'], { env: unreachable });
    expect(gate.stdout).toMatch(/up to 8 more rounds/);
    expect(gate.stdout).toMatch(/instructions\/request: 1 start per side × 2 scenarios/);
  });
});
