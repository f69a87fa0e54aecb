import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeGate } from '../../bench/kinds/gate/analyze.ts';
import { planGate } from '../../bench/kinds/gate/plan.ts';
import { makeGateRun } from '../fixtures/make-compare-results.ts';
import { resolveRef } from '../../bench/kinds/gate/revision.ts';
import { defaultThresholds } from '../../bench/compare/thresholds.ts';
import { parseQueryCounts } from '../../bench/window/metrics-text.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { BENCH_FLAGS } from '../../cli/bench-options.ts';
import { GATE_FLAGS, parseSideEnv, readGateOnlyOptions } from '../../cli/gate-options.ts';
import { PROFILES } from '../../scenarios/profiles.ts';
import { runCli } from '../cli/support.ts';
import { REPO } from './support.ts';

describe('jobbench gate flags', () => {
  it('reads --head-env KEY=VALUE (repeatable) and refuses what the gate sets itself', () => {
    expect(parseSideEnv('head-env', ['JOBBENCH_INJECT_CPU_US=200', 'A=b=c'])).toEqual({
      JOBBENCH_INJECT_CPU_US: '200',
      A: 'b=c',
    });
    expect(() => parseSideEnv('head-env', ['novalue'])).toThrow(/KEY=VALUE/);
    expect(() => parseSideEnv('head-env', ['DATABASE_URL=postgres://x'])).toThrow(/set by the gate itself/);
    expect(() => parseSideEnv('head-env', ['JOBBENCH_POOL_MAX=2'])).toThrow(/--head-pool-max/);
  });

  it('needs --base, validates pool sizes and thresholds', async () => {
    await expect(readGateOnlyOptions({})).rejects.toThrow(/--base <git-ref> is required/);
    await expect(readGateOnlyOptions({ base: 'HEAD', 'head-pool-max': '0' })).rejects.toThrow(/between 1/);
    await expect(readGateOnlyOptions({ base: 'HEAD', threshold: ['nonsense=5'] })).rejects.toThrow();
    const o = await readGateOnlyOptions({ base: 'HEAD', 'head-pool-max': '2', 'head-env': ['X=1'] });
    expect(o).toMatchObject({ baseRef: 'HEAD', headRef: undefined, poolMax: { head: 2 }, env: { head: { X: '1' } } });
    expect(o.dbLatencyMs).toBeUndefined();
    expect((await readGateOnlyOptions({ base: 'HEAD', 'db-latency': '2' })).dbLatencyMs).toBe(2);
    await expect(readGateOnlyOptions({ base: 'HEAD', 'db-latency': '-1' })).rejects.toThrow(/--db-latency/);
    await expect(
      readGateOnlyOptions({
        'base-target': 'http://127.0.0.1:1',
        'head-target': 'http://127.0.0.1:2',
        'db-latency': '2',
      }),
    ).rejects.toThrow(/--db-latency configures a revision the gate starts/);
  });

  it('plans adapters × {base, head}, the head pool override on head servers only, the cells sharing poolMax', async () => {
    const p = PROFILES.gate;
    const plan = planGate({
      profile: 'gate',
      adapters: ['pg-pool', 'postgres-js'],
      scenarios: ['get-job', 'search'],
      connections: [32],
      durationS: p.durationS,
      warmupS: p.warmupS,
      rounds: p.rounds,
      poolMax: 10,
      jobs: p.jobs,
      seed: 42,
      timeoutS: 10,
      disturbedThresholdPercent: 10,
      tool: 'autocannon',
      db: 'auto',
      base: { revision: { ref: 'HEAD', commit: 'a'.repeat(40) }, env: {} },
      head: { revision: { ref: 'working tree', commit: null }, env: { X: '1' }, poolMax: 2 },
      thresholds: defaultThresholds(),
      runner: await RUNNERS.autocannon(),
      maxRounds: p.rounds + 8,
      instructions: null,
    });
    // One server per side for the gate; 12 planned rounds + 2 extensions of 4: 3 looks, each at 0.05 / 3.
    expect(plan.benchmark.keepServers).toBe(true);
    expect(plan.looks).toBe(3);
    expect(plan.benchmark.loads.every((l) => l.rate === undefined)).toBe(true);
    // The rounds line counts what the gate measured, measured again and left out, per cell (both sides).
    const run = makeGateRun({ rounds: 12, adapters: ['pg-pool'] });
    const [one, two] = run.cells[0]!.rounds;
    one!.validity = {
      foreignCpuPercent: 50,
      thresholdPercent: 10,
      disturbed: true,
      remeasuredAfter: { foreignCpuPercent: 60 },
    };
    two!.validity = {
      foreignCpuPercent: 1,
      thresholdPercent: 10,
      disturbed: false,
      remeasuredAfter: { foreignCpuPercent: 40 },
    };
    const analysis = analyzeGate(plan, run.cells, {} as never);
    expect(analysis.rounds).toEqual([{ cell: 'pg-pool · get-job · 10 conn', measured: 12, remeasured: 2, leftOut: 1 }]);
    expect(
      plan.benchmark.targets.map(
        (t) => `${t.adapter}/${t.side}/${t.poolMax}/${('serverPoolMax' in t ? t.serverPoolMax : undefined) ?? '-'}`,
      ),
    ).toEqual(['pg-pool/base/10/-', 'pg-pool/head/10/2', 'postgres-js/base/10/-', 'postgres-js/head/10/2']);
    expect(plan.config).toMatchObject({ head: { env: { X: '1' }, poolMax: 2 }, base: { ref: 'HEAD' } });
    expect(p.rounds).toBeGreaterThanOrEqual(5);
  });

  it('counts instructions by default, with its own threshold; --instructions off turns it off', async () => {
    const on = await readGateOnlyOptions({ base: 'HEAD' });
    expect(on.instructions).toEqual({ starts: 1, warmupRequests: 4000, requests: 200, thresholdPct: 0.5 });
    const set = await readGateOnlyOptions({
      base: 'HEAD',
      'instructions-threshold': '1.5',
      'instructions-starts': '3',
      'instructions-requests': '500',
    });
    expect(set.instructions).toMatchObject({ starts: 3, requests: 500, thresholdPct: 1.5 });
    expect((await readGateOnlyOptions({ base: 'HEAD', instructions: 'off' })).instructions).toBeNull();
    await expect(readGateOnlyOptions({ base: 'HEAD', instructions: 'maybe' })).rejects.toThrow(/valid: on, off/);
    await expect(readGateOnlyOptions({ base: 'HEAD', 'instructions-threshold': '-1' })).rejects.toThrow(/between 0/);
    await expect(readGateOnlyOptions({ base: 'HEAD', 'instructions-starts': '0' })).rejects.toThrow(/between 1/);
  });

  it('resolves a ref to its commit, and a ref that does not exist is a catalogued error', async () => {
    expect((await resolveRef('HEAD')).commit).toMatch(/^[0-9a-f]{40}$/);
    await expect(resolveRef('no-such-ref-xyz')).rejects.toMatchObject({
      code: 'JOBBENCH_CLI_ERR_GIT_REF',
      exitCode: 2,
    });
  });

  it('counts queries and requests from an exposition, /metrics itself excluded by the server', () => {
    const text = [
      '# TYPE jobbench_db_query_duration_seconds histogram',
      'jobbench_db_query_duration_seconds_bucket{adapter="pg-pool",operation="get",le="0.001"} 90',
      'jobbench_db_query_duration_seconds_count{adapter="pg-pool",operation="get"} 100',
      'jobbench_db_query_duration_seconds_count{adapter="pg-pool",operation="ping"} 100',
      'http_requests_total{method="GET",route="/jobs/:id",status_code="200"} 98',
      'http_requests_total{method="GET",route="/jobs/:id",status_code="404"} 2',
      'http_requests_in_flight 0',
    ].join('\n');
    expect(parseQueryCounts(text)).toEqual({ dbCalls: 200, requests: 100, inFlight: 0 });
  });

  it('a bad ref exits 2 with one line naming it, before any database or server starts', async () => {
    const r = await runCli(['gate', '--base', 'no-such-ref-xyz'], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/git ref "no-such-ref-xyz" does not name a commit/);
    const missing = await runCli(['gate'], { cwd: REPO });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--base <git-ref> is required/);
  });

  it('takes k6 only at a fixed rate, and refuses wrk, before anything starts', async () => {
    const noRate = await runCli(['gate', '--base', 'HEAD', '--tool', 'k6'], { cwd: REPO });
    expect(noRate.code).toBe(2);
    expect(noRate.stderr).toMatch(/--tool k6 and --rate N go together/);
    const wrk = await runCli(['gate', '--base', 'HEAD', '--tool', 'wrk'], { cwd: REPO });
    expect(wrk.code).toBe(2);
    expect(wrk.stderr).toMatch(/autocannon or k6/);
    const short = await runCli(['gate', '--base', 'HEAD', '--tool', 'k6', '--rate', '100', '--duration', '0.5'], {
      cwd: REPO,
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 1 second/);
  });

  it('--help gives examples, the duration and the exit codes', async () => {
    const r = await runCli(['gate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Duration: .*8 rounds/);
    // No inherited default that contradicts the gate's own (issue 22).
    expect(r.stdout).not.toMatch(/default quick|default: all/);
    expect(r.stdout).toMatch(/--profile NAME .*default gate/);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/Exit codes: 0 .*; 1 .*; 2 /s);
  });

  it('the perf-gate workflow calls the gate with flags it really has', () => {
    const yml = readFileSync(new URL('../../.github/workflows/perf-gate.yml', import.meta.url), 'utf8');
    const line = /npx jobbench gate([^\n]*\n[^\n]*)/.exec(yml)![1]!;
    const flags = [...line.matchAll(/--([a-z-]+)(?:\s+(\S+))?/g)];
    const known = { ...BENCH_FLAGS, ...GATE_FLAGS } as Record<string, { type: string }>;
    for (const [, name, value] of flags) {
      expect(known[name!], `--${name}`).toBeDefined();
      if (known[name!]!.type === 'string') expect(value, `--${name} needs a value`).not.toMatch(/^(--|$)/);
    }
    expect(flags.map((f) => f[1])).toEqual(['base', 'out', 'markdown', 'junit', 'html']);
  });
});
