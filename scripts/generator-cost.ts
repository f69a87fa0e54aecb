/**
 * Generator CPU per request on one URL: wrk (jobbench's generated Lua), wrk counting status codes in a
 * response() callback (wrk-status-codes), wrk with the per-second timeline callback that --fault windows
 * add (wrk-timeline), plain autocannon (no hooks, no listener) and
 * jobbench's autocannon worker, interleaved (rounds outside, tools inside, order rotated), 32 connections.
 *
 *   npx tsx scripts/generator-cost.ts [http://127.0.0.1:PORT|bare] [durationS=10] [rounds=3] [tools=all]
 *
 * The URL's server must serve /health (jobbench serve, or `bare`: the bare node:http server of the
 * ceilings, started and stopped by the script). tools: a comma-separated subset of the names above.
 * Prints one JSON line per window. CPU is the generator process's user + system time over the window.
 */
import { spawn } from 'node:child_process';
import { startBareHttpServer } from '../bench/ceilings/bare-http-server.ts';
import { autocannonRunner } from '../bench/runners/autocannon/runner.ts';
import type { LoadRunner } from '../bench/runners/types.ts';
import { createWrkRunner, findWrk } from '../bench/runners/wrk/runner.ts';

const PLAIN = `
const autocannon = require('autocannon');
const [url, durationS, connections] = process.argv.slice(1);
const cpu0 = process.cpuUsage();
autocannon({ url, connections: Number(connections), duration: Number(durationS), pipelining: 1 }, (err, r) => {
  if (err) throw err;
  const c = process.cpuUsage(cpu0);
  process.send({ requests: r.requests.total, durationS: r.duration, cpuUs: c.user + c.system });
});
`;

const [urlArg = 'bare', durationArg, roundsArg, toolsArg] = process.argv.slice(2);
const bare = urlArg === 'bare' ? await startBareHttpServer() : null;
const baseUrl = bare?.baseUrl ?? urlArg;
const durationS = Number(durationArg ?? 10);
const rounds = Number(roundsArg ?? 3);
const connections = 32;

type Window = { requests: number; durationS: number; cpuUs: number };

function plainAutocannon(): Promise<Window> {
  return new Promise((resolve, reject) => {
    const args = ['-e', PLAIN, `${baseUrl}/health`, String(durationS), String(connections)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as Window));
    child.once('exit', (code) => code !== 0 && reject(new Error(`plain autocannon exited with ${code}`)));
  });
}

function viaRunner(runner: LoadRunner, timeline = false): () => Promise<Window> {
  return async () => {
    const m = await runner.run({
      baseUrl,
      scenario: 'health',
      durationS,
      seed: 1,
      jobCount: 1,
      connections,
      timeoutS: 10,
      ...(timeline && { timeline: true }),
    });
    return { requests: m.requests, durationS: m.durationS, cpuUs: m.generatorCpuUs };
  };
}

const all: Record<string, () => Promise<Window>> = {
  ...(findWrk()
    ? {
        wrk: viaRunner(createWrkRunner()),
        'wrk-status-codes': viaRunner(createWrkRunner({ statusCodes: true })),
        'wrk-timeline': viaRunner(createWrkRunner(), true),
      }
    : {}),
  'autocannon-plain': plainAutocannon,
  'jobbench-autocannon-worker': viaRunner(autocannonRunner),
};
const wanted = toolsArg ? toolsArg.split(',') : Object.keys(all);
const unknown = wanted.filter((t) => !(t in all));
if (unknown.length > 0)
  throw new Error(`unknown or unavailable tools: ${unknown.join(', ')} (have: ${Object.keys(all).join(', ')})`);
const tools = Object.fromEntries(wanted.map((t) => [t, all[t]!]));
const order = Object.entries(tools);
for (let round = 1; round <= rounds; round++)
  // Rotated each round (DESIGN rule 3): no tool always runs first, on a machine still warming up.
  for (const [tool, run] of order.map((_, i) => order[(i + round - 1) % order.length]!)) {
    const w = await run();
    const line = {
      round,
      tool,
      requests: w.requests,
      requestsPerSec: Math.round(w.requests / w.durationS),
      cpuUsPerRequest: +(w.cpuUs / w.requests).toFixed(1),
      cpuPercentOfCore: +((100 * w.cpuUs) / (w.durationS * 1e6)).toFixed(1),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
await bare?.stop();
