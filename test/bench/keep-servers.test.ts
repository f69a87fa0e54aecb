import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress } from '../../bench/host/progress.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { executeBenchmark } from '../../bench/schedule/execute.ts';
import type { BenchmarkPlan } from '../../bench/schedule/plan.ts';
import type { Probe } from '../../bench/window/probe.ts';
import { isAlive } from '../../bench/host/procfs.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/**
 * Real servers, a real load tool: which server process each round's window measured, by target (a
 * disturbed window is measured again on the same server: the last attempt of a round is kept).
 */
async function serverPids(db: TestDatabase, keepServers: boolean): Promise<Map<string, number[]>> {
  const byRound = new Map<string, Map<number, number>>();
  const pidProbe = (adapter: string): Probe => ({
    name: 'pid',
    async start(ctx) {
      byRound.set(adapter, (byRound.get(adapter) ?? new Map()).set(ctx.round, ctx.target.pid));
    },
    async stop() {
      return {};
    },
  });
  const plan: BenchmarkPlan = {
    rounds: 3,
    targets: ['pg-pool', 'postgres-js'].map((adapter) => ({ adapter, poolMax: 2, metrics: 'off', via: 'direct' })),
    loads: [{ scenario: 'health', connections: 2 }],
    settings: { warmupS: 0, durationS: 0.5, timeoutS: 5, seed: 42, jobCount: 20 },
    runner: await RUNNERS.autocannon(),
    databaseUrl: db.url,
    probes: (target) => [pidProbe(target.adapter)],
    keepServers,
  };
  const outcome = await executeBenchmark(plan, createProgress(process.stderr, true));
  expect(outcome.failedWindows ?? []).toEqual([]);
  return new Map([...byRound].map(([adapter, rounds]) => [adapter, [...rounds.values()]]));
}

describe('servers kept across rounds (BenchmarkPlan.keepServers)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 20 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('measures every round of a target on the one server it started, and stops them all at the end', async () => {
    const seen = await serverPids(db, true);
    for (const [adapter, pids] of seen) {
      expect(pids, adapter).toHaveLength(3);
      expect(new Set(pids).size, adapter).toBe(1);
      expect(isAlive(pids[0]!), `${adapter} stopped at the end`).toBe(false);
    }
  }, 600_000); // six server starts on a loaded 2-core machine can take minutes: a bound, not a timing check

  it('without it, starts a server per visit', async () => {
    const seen = await serverPids(db, false);
    for (const [adapter, pids] of seen) expect(new Set(pids).size, adapter).toBe(3);
  }, 600_000); // six server starts on a loaded 2-core machine can take minutes: a bound, not a timing check
});
