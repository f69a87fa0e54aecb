/**
 * The API's overhead over a bare server on /health, by ONE method: plain wrk (no Lua script: its own
 * static request, scripts/lib/plain-wrk.ts) with the same threads and connections against every server,
 * rounds outside and servers inside, the order rotated each round, a fresh server for every window, and each server's ratio to the bare
 * one as the paired per-round log ratio with its interval (bench/stats/paired.ts; a range below 5
 * rounds). A ladder of servers answering the same /health bytes, so each step reads against the one below:
 *
 *   bare       node:http, no framework (bench/ceilings/bare-http-server.ts: the HTTP ceiling)
 *   fastify    plain Fastify 5, one route with the same response schema, no logger, no hooks
 *   off        `jobbench serve --metrics off` from this checkout (pg-pool)
 *   on         `jobbench serve --metrics on` from this checkout (pg-pool): what a benchmark measures
 *   before     `jobbench serve --metrics on` from another checkout, when BEFORE_ROOT is set
 *              (`git archive <ref> | tar -x -C DIR` with node_modules linked)
 *
 *   DATABASE_URL=… [BEFORE_ROOT=/tmp/base] npx tsx scripts/api-overhead.ts [durationS=5] [rounds=5] [connections=32] [threads]
 *
 * threads: default what `jobbench run --tool wrk` uses at these connections (wrkThreads). Prints one
 * JSON line per window, then the summary as JSON and as a Markdown table. Why one method: see
 * docs/readme/performance.md ("API overhead: one method").
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBareHttpServer } from '../bench/ceilings/bare-http-server.ts';
import { findWrk, wrkThreads } from '../bench/runners/wrk/runner.ts';
import { processCpuUs } from '../bench/host/procfs.ts';
import { median } from '../bench/stats/bootstrap.ts';
import { pairLogRatios, summarizeLogRatios } from '../bench/stats/paired.ts';
import { serveArgs } from '../bench/targets/serve-args.ts';
import { startNodeServer } from './lib/node-server.ts';
import { FASTIFY_HEALTH_SOURCE } from './lib/fastify-health.ts';
import { ratioText, runPlainWrk } from './lib/plain-wrk.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (the jobbench servers use it)');
const wrkBin = findWrk();
if (!wrkBin) throw new Error('wrk not found (apt-get install wrk, or set WRK_BIN)');
const beforeRoot = process.env.BEFORE_ROOT;
const durationS = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 32);
const threads = Number(process.argv[5] ?? wrkThreads(connections));
const warmupS = 1;
const here = fileURLToPath(new URL('..', import.meta.url));

interface Server {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): unknown;
}

// `node -e` resolves fastify from here (cwd)
const start = (name: string, args: (port: number) => string[]): Promise<Server> =>
  startNodeServer(name, args, { cwd: here, env: { DATABASE_URL: url } });

const serve = (root: string, metrics: 'on' | 'off') => (port: number) =>
  serveArgs({ root, adapter: 'pg-pool', port, metrics });

// A fresh server for every window, and only one up at a time: an idle jobbench server beside the measured
// one slowed it ~30% (its 1 kHz event-loop timer; results/reference/ceilings-2026-12-07c/start-to-start.md),
// which with all servers up for all rounds read plain Fastify at 0.69x of bare node:http instead of 0.94x.
const starters: { name: string; start(): Promise<Server> }[] = [
  { name: 'bare', start: async () => ({ name: 'bare', ...(await startBareHttpServer()) }) },
  { name: 'fastify', start: () => start('fastify', () => ['-e', FASTIFY_HEALTH_SOURCE]) },
  { name: 'off', start: () => start('off', serve(here, 'off')) },
  { name: 'on', start: () => start('on', serve(here, 'on')) },
  ...(beforeRoot ? [{ name: 'before', start: () => start('before', serve(beforeRoot, 'on')) }] : []),
];
const loadBefore = loadavg().map((n) => n.toFixed(1));

const rows: { round: number; server: string; rps: number; cpuUsPerReq: number; errors: number }[] = [];
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < starters.length; i++) {
    const s = await starters[(i + r) % starters.length]!.start();
    try {
      const target = `${s.baseUrl}/health`;
      await runPlainWrk(wrkBin, target, { threads, connections, durationS: warmupS }); // warm-up
      const cpuOf = (pid: number) => processCpuUs(pid) ?? Number.NaN; // NaN: the server is gone
      const cpu0 = cpuOf(s.pid);
      const m = await runPlainWrk(wrkBin, target, { threads, connections, durationS });
      const cpuUs = cpuOf(s.pid) - cpu0;
      const row = {
        round: r + 1,
        server: s.name,
        rps: Math.round(m.requestsPerSec),
        cpuUsPerReq: Math.round((cpuUs / m.requests) * 10) / 10,
        errors: m.errors,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    } finally {
      await s.stop();
    }
  }
}

const of = (server: string) =>
  Array.from({ length: rounds }, (_, r) => rows.find((x) => x.server === server && x.round === r + 1));
const summary = {
  command: `DATABASE_URL=… npx tsx scripts/api-overhead.ts ${durationS} ${rounds} ${connections} ${threads}`,
  method: `plain wrk -t${threads} -c${connections} -d${durationS}s (no script), a fresh server and ${warmupS} s warm-up per window, ${rounds} rounds, servers rotated`,
  loadAverage: { before: loadBefore, after: loadavg().map((n) => n.toFixed(1)) },
  servers: Object.fromEntries(
    starters.map((s) => {
      const ratio = summarizeLogRatios(
        pairLogRatios(
          of('bare').map((x) => x?.rps),
          of(s.name).map((x) => x?.rps),
        ),
      );
      return [
        s.name,
        {
          healthRps: median(of(s.name).flatMap((x) => (x ? [x.rps] : []))),
          healthCpuUsPerReq: median(of(s.name).flatMap((x) => (x ? [x.cpuUsPerReq] : []))),
          errors: of(s.name).reduce((a, x) => a + (x?.errors ?? 0), 0),
          overBare: ratio,
          overBareText: s.name === 'bare' ? '1' : ratioText(ratio),
        },
      ];
    }),
  ),
};
console.log(JSON.stringify(summary, null, 2));
console.log(
  [
    `| server | /health req/s (median of ${rounds}) | ÷ bare (paired per round) | server CPU µs/request |`,
    '|---|---:|---:|---:|',
    ...Object.entries(summary.servers).map(
      ([name, v]) => `| ${name} | ${Math.round(v.healthRps)} | ${v.overBareText} | ${v.healthCpuUsPerReq.toFixed(1)} |`,
    ),
  ].join('\n'),
);
