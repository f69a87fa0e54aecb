/**
 * The API's overhead, before vs after a change, interleaved in one run (rounds outside, servers inside,
 * rotated): a bare node:http server (bench/ceilings/bare-http-server.ts), `jobbench serve` from another
 * checkout (BEFORE_ROOT, e.g. `git archive <ref> | tar -x -C DIR` with node_modules linked) and from this
 * one, pg-pool with metrics on, loaded by wrk at 32 connections; plus pgbench's DB ceiling once.
 *
 *   DATABASE_URL=… BEFORE_ROOT=/tmp/base npx tsx scripts/api-overhead.ts [durationS=5] [rounds=5]
 *
 * Prints one JSON line per window and a summary: medians over rounds of req/s, server CPU µs/request,
 * and the per-round ratios to the bare server (health) and to the DB ceiling (get-job).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBareHttpServer } from '../bench/ceilings/bare-http-server.ts';
import { measureDbCeiling } from '../bench/ceilings/db-ceiling.ts';
import { freePort } from '../bench/db/embedded.ts';
import { createWrkRunner } from '../bench/runners/wrk.ts';
import { processCpuUs } from '../bench/samplers.ts';
import { median } from '../bench/stats/bootstrap.ts';

const url = process.env.DATABASE_URL!;
const beforeRoot = process.env.BEFORE_ROOT!;
if (!url || !beforeRoot) throw new Error('set DATABASE_URL and BEFORE_ROOT');
const durationS = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 5);
const connections = 32;
const jobCount = 10_000;
const wrk = createWrkRunner();

async function serve(root: string): Promise<{ baseUrl: string; pid: number; stop(): void }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      `${root}/bin/jobbench.js`,
      'serve',
      '--adapter',
      'pg-pool',
      '--port',
      String(port),
      '--metrics',
      'on',
      '--db',
      'external',
    ],
    { env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore' },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${baseUrl}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server from ${root} did not start`);
}

const here = fileURLToPath(new URL('..', import.meta.url));
const bare = await startBareHttpServer();
const before = await serve(beforeRoot);
const after = await serve(here);
const db = await measureDbCeiling({ databaseUrl: url, clients: connections, durationS: 5, jobCount });
console.log(JSON.stringify({ dbCeilingTps: Math.round(db.transactionsPerSec), method: db.method }));
const servers = [
  { name: 'bare', ...bare, scenarios: ['health'] as const },
  { name: 'before', ...before, scenarios: ['health', 'get-job'] as const },
  { name: 'after', ...after, scenarios: ['health', 'get-job'] as const },
];
const rows: { round: number; server: string; scenario: string; rps: number; cpuUsPerReq: number }[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < servers.length; i++) {
      const s = servers[(i + r) % servers.length]!;
      for (const scenario of s.scenarios) {
        const window = { baseUrl: s.baseUrl, scenario, seed: r + 1, jobCount, connections, timeoutS: 10 };
        await wrk.run({ ...window, durationS: 1 }); // warm-up
        const cpu0 = processCpuUs(s.pid);
        const m = await wrk.run({ ...window, durationS });
        const cpuUs = processCpuUs(s.pid) - cpu0;
        const row = {
          round: r + 1,
          server: s.name,
          scenario,
          rps: Math.round(m.requests / m.durationS),
          cpuUsPerReq: Math.round(cpuUs / m.requests),
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  }
} finally {
  await bare.stop();
  before.stop();
  after.stop();
}
const pick = (server: string, scenario: string) => rows.filter((x) => x.server === server && x.scenario === scenario);
const ratio = (server: string, scenario: string, base: (round: number) => number) =>
  median(pick(server, scenario).map((x) => x.rps / base(x.round)));
const bareRps = (round: number) => pick('bare', 'health').find((x) => x.round === round)!.rps;
const summary = {
  loadAverage: (await import('node:os')).loadavg().map((n) => n.toFixed(1)),
  dbCeilingTps: Math.round(db.transactionsPerSec),
  ...Object.fromEntries(
    ['before', 'after'].flatMap((s) => [
      [`${s} health req/s`, median(pick(s, 'health').map((x) => x.rps))],
      [`${s} health µs/req`, median(pick(s, 'health').map((x) => x.cpuUsPerReq))],
      [`${s} health ÷ bare (per round)`, Number(ratio(s, 'health', bareRps).toFixed(3))],
      [`${s} get-job req/s`, median(pick(s, 'get-job').map((x) => x.rps))],
      [`${s} get-job µs/req`, median(pick(s, 'get-job').map((x) => x.cpuUsPerReq))],
      [
        `${s} get-job ÷ DB ceiling`,
        Number((median(pick(s, 'get-job').map((x) => x.rps)) / db.transactionsPerSec).toFixed(3)),
      ],
    ]),
  ),
  'bare health req/s': median(pick('bare', 'health').map((x) => x.rps)),
};
console.log(JSON.stringify(summary, null, 2));
