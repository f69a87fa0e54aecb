/**
 * Where a /health request's work goes, per request, in instructions (callgrind: the gate's own counter,
 * bench/instructions/), for plain Fastify and for `jobbench serve` with metrics off and on: the profile
 * that tells which part of the API's cost over Fastify is ours (hooks, metrics, serialisation) and
 * which is Fastify's or Node's. Time-based profilers do not: `node --cpu-prof` under wrk puts 85-92% of
 * busy samples in writev (docs/readme/performance.md, "API overhead: one method").
 *
 *   DATABASE_URL=… [BEFORE_ROOT=/tmp/base] npx tsx scripts/request-path-profile.ts [requests=2000] [top=25] [warmup=20000] [starts=3]
 *
 * Each server starts under valgrind with instrumentation off and the gate's Node flags, serves a warm-up
 * with instrumentation off (V8 compiles the path), then `requests` /health requests one after another on
 * one keep-alive connection, counted. Prints, per server, instructions per request and the functions with
 * the most self instructions per request; then, for each rung, the functions whose cost changed most
 * from the rung below (bench/instructions/function-diff.ts). BEFORE_ROOT: another checkout's `serve
 * --metrics on` (`git archive <ref> | tar -x -C DIR`, node_modules linked) for a before/after.
 * Each server is started `starts` times and the start with the median total is shown: a start now and then
 * still tiers a function up inside the window (TurboFan's compile on the main thread, +5-15%), as the
 * gate's counts do (bench/instructions/). A `jobbench serve` rung is first started once without
 * valgrind, so that tsx's compile cache is warm (its sweep otherwise lands in the first counted window).
 * Sequential requests pay an event-loop turn and a socket wake-up each, which a loaded server shares
 * across requests: the totals are above a loaded server's, the differences between rungs are not.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseCallgrind, type CallgrindProfile } from '../bench/instructions/callgrind-file.ts';
import { primeTsxCache, startUnderCallgrind } from '../bench/instructions/callgrind-server.ts';
import { functionChanges, meanPerRequest } from '../bench/instructions/function-diff.ts';
import { parsePerfMap, perfMapResolver } from '../bench/instructions/perf-map.ts';
import { requestSequence, sendSequence } from '../bench/instructions/sequence.ts';
import { freePort } from '../bench/host/free-port.ts';
import { serveArgs } from '../bench/targets/serve-args.ts';
import { FASTIFY_HEALTH_SOURCE } from './lib/fastify-health.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (the jobbench servers use it)');
const requests = Number(process.argv[2] ?? 2000);
const top = Number(process.argv[3] ?? 25);
const warmupRequests = Number(process.argv[4] ?? 20_000);
const starts = Number(process.argv[5] ?? 3);
const here = fileURLToPath(new URL('..', import.meta.url));
const beforeRoot = process.env.BEFORE_ROOT;

const serve = (root: string, metrics: 'on' | 'off') => (port: number) =>
  serveArgs({ root, adapter: 'pg-pool', port, metrics, logLevel: 'warn' });
// EXTRA_RUNGS=name=file.cjs,…: more servers after fastify, each `node -e <file's source>` from the checkout
// (PORT in the env, answering /health): variants of plain Fastify that add one of the API's settings.
const extra = (process.env.EXTRA_RUNGS ?? '')
  .split(',')
  .filter(Boolean)
  .map((spec) => {
    const [name, file] = spec.split('=') as [string, string];
    return { name, cwd: here, args: () => ['-e', readFileSync(file, 'utf8')] };
  });
const rungs: { name: string; cwd: string; args: (port: number) => string[] }[] = [
  { name: 'fastify', cwd: here, args: () => ['-e', FASTIFY_HEALTH_SOURCE] },
  ...extra,
  { name: 'off', cwd: here, args: serve(here, 'off') },
  { name: 'on', cwd: here, args: serve(here, 'on') },
  ...(beforeRoot ? [{ name: 'before', cwd: beforeRoot, args: serve(beforeRoot, 'on') }] : []),
];

async function profileOf(rung: (typeof rungs)[number]): Promise<CallgrindProfile> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Counting mode (no timer-driven work: the event-loop histogram's 1 kHz timer), as in the gate.
  const server = await startUnderCallgrind({
    name: rung.name,
    nodeArgs: rung.args(port),
    cwd: rung.cwd,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port) },
    baseUrl,
    readyPath: '/health',
  });
  try {
    const bad = await sendSequence(baseUrl, 'health', requestSequence('health', 2, 1, warmupRequests));
    await server.control('on');
    await server.control('zero');
    Object.assign(bad, await sendSequence(baseUrl, 'health', requestSequence('health', 1, 1, requests)));
    const dumped = await server.dump();
    if (Object.keys(bad).length > 0) throw new Error(`${rung.name}: unexpected statuses ${JSON.stringify(bad)}`);
    const resolve = perfMapResolver(parsePerfMap(await server.perfMap()), [here]);
    return parseCallgrind(await readFile(dumped, 'utf8'), resolve);
  } finally {
    await server.stop();
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const means = [];
for (const rung of rungs) {
  if (rung.args(0)[0] !== '-e') {
    // a `jobbench serve` rung: fill tsx's compile cache first (its sweep would otherwise land in a window)
    const port = await freePort();
    const env = { ...process.env, DATABASE_URL: url, PORT: String(port) };
    await primeTsxCache(rung.name, rung.args(port), env, `http://127.0.0.1:${port}/health`);
  }

  const profiles: CallgrindProfile[] = [];
  for (let i = 0; i < starts; i++) profiles.push(await profileOf(rung));
  const totals = profiles.map((p) => Math.round(p.totalIr / requests));
  const median = [...profiles].sort((a, b) => a.totalIr - b.totalIr)[Math.floor((starts - 1) / 2)]!;
  const mean = meanPerRequest([median], requests);
  means.push({ name: rung.name, mean });
  console.log(
    `\n## ${rung.name}: ${n(mean.totalIr)} instructions per /health request (the median of ${starts} starts: ` +
      `${totals.map(n).join(', ')}; ${requests} requests each)\n`,
  );
  console.log('| function | self Ir/request | inclusive Ir/request |\n|---|---:|---:|');
  [...mean.functions.entries()]
    .sort((a, b) => b[1].self - a[1].self)
    .slice(0, top)
    .forEach(([name, c]) => console.log(`| \`${name.slice(0, 110)}\` | ${n(c.self)} | ${n(c.inclusive)} |`));
}
for (let i = 1; i < means.length; i++) {
  const base = means[means[i]!.name === 'before' ? means.findIndex((m) => m.name === 'on') : i - 1]!;
  const head = means[i]!;
  const d = head.mean.totalIr - base.mean.totalIr;
  console.log(`\n## ${base.name} → ${head.name}: ${d >= 0 ? '+' : ''}${n(d)} instructions per request\n`);
  const { bySelf, byInclusive } = functionChanges(base.mean, head.mean, top);
  console.log(`| function (by Δ self) | ${base.name} self | ${head.name} self |\n|---|---:|---:|`);
  bySelf.forEach((r) => console.log(`| \`${r.name.slice(0, 110)}\` | ${n(r.baseSelfIr)} | ${n(r.headSelfIr)} |`));
  console.log(`\n| function (by Δ inclusive) | ${base.name} incl. | ${head.name} incl. |\n|---|---:|---:|`);
  byInclusive.forEach((r) =>
    console.log(`| \`${r.name.slice(0, 110)}\` | ${n(r.baseInclusiveIr)} | ${n(r.headInclusiveIr)} |`),
  );
}
