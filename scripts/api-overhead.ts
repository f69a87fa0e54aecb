/**
 * Where the API's overhead over a bare server comes from, interleaved in one run (rounds outside,
 * servers inside, rotated): a ladder of servers answering the same /health bytes, each loaded by wrk
 * at 32 connections, so that each step's cost can be read as a ratio to the one below it:
 *
 *   bare       node:http, no framework (bench/ceilings/bare-http-server.ts: the HTTP ceiling)
 *   fastify    plain Fastify 5, one route with the same response schema, no logger, no hooks
 *   off        `jobbench serve --metrics off` from this checkout (pg-pool)
 *   on         `jobbench serve --metrics on` from this checkout (pg-pool): what a benchmark measures
 *   before     `jobbench serve --metrics on` from another checkout, when BEFORE_ROOT is set
 *              (`git archive <ref> | tar -x -C DIR` with node_modules linked)
 *
 * plus get-job on the jobbench servers and pgbench's DB ceiling once.
 *
 *   DATABASE_URL=… [BEFORE_ROOT=/tmp/base] npx tsx scripts/api-overhead.ts [durationS=5] [rounds=5]
 *
 * Prints one JSON line per window and a summary: medians over rounds of req/s and server CPU
 * µs/request, and the median per-round ratio of /health to the bare server's (min–max over rounds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBareHttpServer } from '../bench/ceilings/bare-http-server.ts';
import { measureDbCeiling } from '../bench/ceilings/db-ceiling.ts';
import { freePort } from '../bench/host/free-port.ts';
import { createWrkRunner } from '../bench/runners/wrk/runner.ts';
import { processCpuUs } from '../bench/host/procfs.ts';
import { median } from '../bench/stats/bootstrap.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (the servers and pgbench use it)');
const beforeRoot = process.env.BEFORE_ROOT;
const durationS = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 5);
const connections = 32;
const jobCount = 10_000;
const here = fileURLToPath(new URL('..', import.meta.url));
const wrk = createWrkRunner();

interface Server {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): unknown;
  scenarios: readonly ('health' | 'get-job')[];
}

// The same bytes as the API's /health; Fastify's own defaults otherwise (logger off, no hooks).
const FASTIFY_SOURCE = `
const app = require('fastify')({ logger: false });
const schema = { response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } } };
app.get('/health', { schema }, async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

async function ready(child: ChildProcess, baseUrl: string, path: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${baseUrl}${path}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${baseUrl} did not answer ${path}`);
}

/** Starts `node <args(port)>` and waits until it answers (/ready when it serves get-job, else /health). */
async function start(name: string, args: (port: number) => string[], scenarios: Server['scenarios']): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port), {
    cwd: here, // `node -e` resolves fastify from here
    env: { ...process.env, DATABASE_URL: url, PORT: String(port) },
    stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await ready(child, baseUrl, scenarios.includes('get-job') ? '/ready' : '/health');
  return { name, baseUrl, pid: child.pid!, stop: () => child.kill('SIGTERM'), scenarios };
}

const serve = (root: string, metrics: 'on' | 'off') => (port: number) => [
  `${root}/bin/jobbench.js`,
  ...['serve', '--adapter', 'pg-pool', '--port', String(port), '--metrics', metrics, '--db', 'external'],
];

const bare = await startBareHttpServer();
const servers: Server[] = [
  { name: 'bare', ...bare, scenarios: ['health'] },
  await start('fastify', () => ['-e', FASTIFY_SOURCE], ['health']),
  await start('off', serve(here, 'off'), ['health', 'get-job']),
  await start('on', serve(here, 'on'), ['health', 'get-job']),
  ...(beforeRoot ? [await start('before', serve(beforeRoot, 'on'), ['health', 'get-job'])] : []),
];
const db = await measureDbCeiling({ databaseUrl: url, clients: connections, durationS: 5, jobCount });
console.log(JSON.stringify({ dbCeilingTps: Math.round(db.transactionsPerSec), method: db.method }));
const loadBefore = loadavg().map((n) => n.toFixed(1));

const rows: { round: number; server: string; scenario: string; rps: number; cpuUsPerReq: number }[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < servers.length; i++) {
      const s = servers[(i + r) % servers.length]!;
      for (const scenario of s.scenarios) {
        const window = { baseUrl: s.baseUrl, scenario, seed: r + 1, jobCount, connections, timeoutS: 10 };
        await wrk.run({ ...window, durationS: 1 }); // warm-up
        const cpuOf = (pid: number) => processCpuUs(pid) ?? Number.NaN; // NaN: the server is gone
        const cpu0 = cpuOf(s.pid);
        const m = await wrk.run({ ...window, durationS });
        const cpuUs = cpuOf(s.pid) - cpu0;
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
  for (const s of servers.slice(1)) s.stop();
}

const pick = (server: string, scenario: string) => rows.filter((x) => x.server === server && x.scenario === scenario);
const bareRps = (round: number) => pick('bare', 'health').find((x) => x.round === round)!.rps;
const healthRatios = (server: string) => pick(server, 'health').map((x) => x.rps / bareRps(x.round));
const fmt = (v: number) => Number(v.toFixed(3));
const summary = {
  loadAverage: { before: loadBefore, after: loadavg().map((n) => n.toFixed(1)) },
  command: `scripts/api-overhead.ts ${durationS} ${rounds}`,
  dbCeilingTps: Math.round(db.transactionsPerSec),
  servers: Object.fromEntries(
    servers.map((s) => {
      const ratios = healthRatios(s.name);
      const getJob = pick(s.name, 'get-job');
      return [
        s.name,
        {
          healthRps: median(pick(s.name, 'health').map((x) => x.rps)),
          healthCpuUsPerReq: median(pick(s.name, 'health').map((x) => x.cpuUsPerReq)),
          healthOverBare: { median: fmt(median(ratios)), min: fmt(Math.min(...ratios)), max: fmt(Math.max(...ratios)) },
          ...(getJob.length > 0 && {
            getJobRps: median(getJob.map((x) => x.rps)),
            getJobCpuUsPerReq: median(getJob.map((x) => x.cpuUsPerReq)),
            getJobOverDbCeiling: fmt(median(getJob.map((x) => x.rps)) / db.transactionsPerSec),
          }),
        },
      ];
    }),
  ),
};
console.log(JSON.stringify(summary, null, 2));
