import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valgrindAvailable } from '../../bench/instructions/callgrind-server.ts';
import { countSides, type CountPlan, type SideServer } from '../../bench/instructions/count-sides.ts';
import { scenarioVerdict } from '../../bench/instructions/verdict.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// Real valgrind, a real server, a real database: the count of one build agrees with itself from start to
// start, and a known amount of injected work (JOBBENCH_INJECT_WORK) shows up as that amount, in its
// own function. Slow (each start is the app starting under valgrind): one scenario, few requests.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INJECTED_ITERATIONS = 20_000;
// Starts of one build agreed within 0.21% on a quiet machine (docs/readme/gate.md), but two starts differed by
// 3.1% in CI with the rest of the suite running beside them (2026-12-06): the count still depends on the
// machine's load somewhere (JIT or GC timing; not found yet, a known limit in gate.md). This bound checks
// that counting works; the false-alarm rate of the 0.5% threshold is the calibration's to measure.
const SAME_BUILD_RANGE = 0.05;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ jobs: 200 });
});
afterAll(async () => {
  await db?.drop();
});

const plan = (over: Partial<CountPlan> = {}): CountPlan => ({
  starts: 2,
  scenarios: ['get-job'],
  adapter: 'pg-pool',
  topFunctions: 5,
  warmupRequests: 200,
  requests: 1000, // a one-time compile in the window (V8 tiers up the injected loop) is then a small share per request
  seed: 7,
  jobCount: 200,
  ...over,
});
const side = (env: Record<string, string>): SideServer => ({ root: ROOT, databaseUrl: db.url, env, poolMax: 4 });

describe('instructions per request', () => {
  it('is "unavailable" with the install line when valgrind is not on PATH, and starts nothing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const r = await countSides(plan(), { base: side({}), head: side({}) }, () => {});
      expect(r).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(/valgrind is not installed: apt-get install valgrind/),
      });
    } finally {
      process.env.PATH = path;
    }
  });

  it.skipIf(!valgrindAvailable())(
    'agrees with itself across starts, and counts injected work as its own function and as the change',
    async () => {
      const r = await countSides(
        plan(),
        { base: side({}), head: side({ JOBBENCH_INJECT_WORK: String(INJECTED_ITERATIONS) }) },
        () => {},
      );
      if (r.status !== 'counted') throw new Error(r.reason);
      const s = r.scenarios[0]!;
      expect(s.scenario).toBe('get-job');
      for (const c of [s.base, s.head]) {
        expect(c.irPerRequest).toHaveLength(2);
        expect(c.maxIrPerRequest / c.minIrPerRequest - 1).toBeLessThan(SAME_BUILD_RANGE);
      }
      // The loop is a few instructions per iteration: ~7 once TurboFan has it (imul, add, or, increment,
      // compare, jump), ~15 in Sparkplug's baseline code, where it still is after this short warm-up.
      const injected = s.bySelf.find((f) => /src\/http\/inject-faults\.ts/.test(f.name));
      expect(injected, JSON.stringify(s.bySelf)).toBeDefined();
      expect(injected!.baseSelfIr).toBe(0);
      expect(injected!.headSelfIr / INJECTED_ITERATIONS).toBeGreaterThan(3);
      expect(injected!.headSelfIr / INJECTED_ITERATIONS).toBeLessThan(30);
      expect(s.bySelf[0]!.name).toBe(injected!.name); // the largest change is where the work was added
      // The whole change is at least the injected work; V8 compiles a little more code around the longer
      // hook (its loop is compiled on the stack, OSR), so it may be more, never a multiple of it.
      const change = s.head.medianIrPerRequest - s.base.medianIrPerRequest;
      expect(change).toBeGreaterThan(injected!.headSelfIr - SAME_BUILD_RANGE * s.base.medianIrPerRequest);
      expect(change).toBeLessThan(2 * injected!.headSelfIr);
      expect(scenarioVerdict(s, 0.5).verdict).toBe('regressed');
    },
    1_200_000,
  );
});
