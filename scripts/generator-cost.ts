/**
 * Generator CPU per request on one URL: wrk (jobbench's generated Lua), plain autocannon (no hooks, no
 * listener) and jobbench's autocannon worker, interleaved (rounds outside, tools inside), 32 connections.
 *
 *   npx tsx scripts/generator-cost.ts http://127.0.0.1:PORT [durationS=10] [rounds=3]
 *
 * The URL's server must serve /health (jobbench serve, or the bare server of bench/ceilings/).
 * Prints one JSON line per window. CPU is the generator process's user + system time over the window.
 */
import { spawn } from 'node:child_process';
import { autocannonRunner } from '../bench/runners/autocannon.ts';
import type { LoadRunner } from '../bench/runners/types.ts';
import { createWrkRunner, findWrk } from '../bench/runners/wrk.ts';

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

const [baseUrl, durationArg, roundsArg] = process.argv.slice(2);
if (!baseUrl) throw new Error('usage: npx tsx scripts/generator-cost.ts http://127.0.0.1:PORT [durationS] [rounds]');
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

function viaRunner(runner: LoadRunner): () => Promise<Window> {
  return async () => {
    const m = await runner.run({
      baseUrl,
      scenario: 'health',
      durationS,
      seed: 1,
      jobCount: 1,
      connections,
      timeoutS: 10,
    });
    return { requests: m.requests, durationS: m.durationS, cpuUs: m.generatorCpuUs };
  };
}

const tools: Record<string, () => Promise<Window>> = {
  ...(findWrk() ? { wrk: viaRunner(createWrkRunner()) } : {}),
  'autocannon-plain': plainAutocannon,
  'jobbench-autocannon-worker': viaRunner(autocannonRunner),
};
for (let round = 1; round <= rounds; round++)
  for (const [tool, run] of Object.entries(tools)) {
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
