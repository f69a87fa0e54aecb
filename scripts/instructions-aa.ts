/**
 * Starts of one build, counted alike: how far apart they land, and where the spread is. For each start
 * and scenario, instructions per request (total, and without V8's compiler: bench/instructions/jit.ts),
 * and the runtime entries into the compiler with their inclusive cost per request. This is the A/A half
 * of the instructions metric's calibration, cheap (no wall-clock rounds), and run beside other work
 * (a count does not care about contention).
 *
 *   DATABASE_URL=… npx tsx scripts/instructions-aa.ts [starts=6] [warmup=4000] [requests=200] [scenarios=get-job,search] [out.json]
 *
 * DATABASE_URL must hold jobs 1..JOBS (default 10,000: `jobbench db up --jobs 10000`).
 * JOBBENCH_INJECT_WORK=N in the environment counts a build with injected work instead.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countOneStart } from '../bench/instructions/count-start.ts';
import type { ScenarioName } from '../scenarios/catalog.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (a database seeded with `jobbench db up`)');
const [starts = 6, warmup = 4000, requests = 200] = process.argv.slice(2, 5).map(Number);
const scenarios = (process.argv[5] ?? 'get-job,search').split(',') as ScenarioName[];
const outPath = process.argv[6];
const jobCount = Number(process.env.JOBS ?? 10_000);
const root = fileURLToPath(new URL('..', import.meta.url));
const env: Record<string, string> = {};
if (process.env.JOBBENCH_INJECT_WORK) env.JOBBENCH_INJECT_WORK = process.env.JOBBENCH_INJECT_WORK;

console.log(`# ${JSON.stringify({ warmup, requests, jobCount, env })}`); // read back by instructions-calibration.ts
const rows: {
  start: number;
  scenario: string;
  total: number;
  jit: number;
  sweep: number;
  entries: [string, number][];
  self?: Record<string, number>;
}[] = [];
for (let start = 1; start <= starts!; start++) {
  const t0 = Date.now();
  const counts = await countOneStart(
    {
      root,
      adapter: 'pg-pool',
      name: `jobbench serve (start ${start})`,
      databaseUrl: url,
      env,
      poolMax: 10,
      primeCache: start === 1,
    },
    scenarios,
    { warmupRequests: warmup!, requests: requests!, seed: 1, jobCount },
    [root],
  );
  for (const c of counts) {
    const entries = [...c.profile.entryIr].sort((a, b) => b[1] - a[1]);
    const per = (n: number) => n / requests!;
    const jit = (c.compileIrPerRequest + c.gcIrPerRequest) * requests!;
    rows.push({
      start,
      scenario: c.scenario,
      total: Math.round(c.irPerRequest + per(jit)),
      jit: Math.round(per(jit)),
      sweep: Math.round(c.sweepIrPerRequest),
      entries: entries.map(([n, ir]) => [n, Math.round(per(ir))]),
      ...(process.env.KEEP_SELF
        ? {
            self: Object.fromEntries(
              [...c.profile.functions].filter(([, f]) => f.selfIr > 0).map(([n, f]) => [n, Math.round(per(f.selfIr))]),
            ),
          }
        : {}),
    });
    console.log(
      `start ${start} ${c.scenario}: ${Math.round(c.irPerRequest)} counted, compiling ${Math.round(c.compileIrPerRequest)}, GC ${Math.round(c.gcIrPerRequest)}, of the count lazy sweeping ${Math.round(c.sweepIrPerRequest)} · ` +
        entries
          .slice(0, 4)
          .map(([n, ir]) => `${n.replace(/\(.*$/, '')} ${Math.round(per(ir))}`)
          .join(', '),
    );
  }
  console.log(`start ${start}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
for (const scenario of scenarios) {
  const r = rows.filter((x) => x.scenario === scenario);
  const spread = (xs: number[]) =>
    `${Math.min(...xs)} … ${Math.max(...xs)} (range ${((Math.max(...xs) / Math.min(...xs) - 1) * 100).toFixed(2)}%)`;
  console.log(
    `${scenario}: total ${spread(r.map((x) => x.total))}; without compiler ${spread(r.map((x) => x.total - x.jit))}` +
      `; without sweeping too ${spread(r.map((x) => x.total - x.jit - x.sweep))}`,
  );
}
if (outPath) writeFileSync(outPath, JSON.stringify({ starts, warmup, requests, jobCount, env, rows }, null, 1));
