/**
 * The harness's weight on what it measures (issue 21): the same server, `jobbench serve` started with the
 * very command line `jobbench run` gives it (bench/targets/node.ts), on /health, under
 *
 *   plain        plain wrk with the very command line jobbench runs: same threads (wrkThreads) and
 *                connections, same --timeout, no script (scripts/lib/plain-wrk.ts)
 *   plain-t1, plain-t2  the same with one or two threads (toggles the thread count alone)
 *   plain-lua    the same with jobbench's own Lua script for /health (bench/runners/wrk/lua.ts; toggles the script)
 *   plain-primed the same after the requests a window's probes send before its load (/metrics ×3,
 *                /internal/process): toggles what the server has been asked before it is measured
 *   jobbench-wrk `jobbench run --tool wrk` (its Lua script, its probes polling the server, its ceilings off)
 *   jobbench-wrk-sampling-off  the same with --sample-interval 3600: no periodic sample during the
 *                load, only the probes' two ends (toggles the samplers, all at once)
 *   jobbench-autocannon `jobbench run --tool autocannon`
 *
 * interleaved (rounds outside, variants inside, the order rotated each round), each window on a fresh
 * server after the same warm-up; every variant's req/s ÷ plain's as the paired per-round log ratio with
 * its interval (bench/stats/paired.ts; a range below 5 rounds).
 *
 *   DATABASE_URL=… npx tsx scripts/observer-cost.ts [durationS=5] [rounds=5] [connections=16] [adapter=postgres-js] [outDir] [variants]
 *
 * Writes observer-cost.json and observer-cost.md to outDir (default: the current directory), e.g.
 * results/reference/ceilings-<date>/. variants: a comma-separated subset of the names above.
 */
import { spawn } from 'node:child_process';
import { JOBBENCH_BIN } from '../bench/targets/serve-args.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchOnce } from '../bench/host/fetch-once.ts';
import { processCpuUs } from '../bench/host/procfs.ts';
import { findWrk, wrkThreads } from '../bench/runners/wrk/runner.ts';
import type { Results } from '../bench/results/types.ts';
import { median } from '../bench/stats/bootstrap.ts';
import { pairLogRatios, summarizeLogRatios } from '../bench/stats/paired.ts';
import { startNodeTarget } from '../bench/targets/node.ts';
import { wrkScript } from '../bench/runners/wrk/lua.ts';
import { buildRequestList } from '../bench/runners/wrk/requests.ts';
import { ratioText, runPlainWrk } from './lib/plain-wrk.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('set DATABASE_URL (the servers and jobbench run use it)');
const wrkBin = findWrk();
if (!wrkBin) throw new Error('wrk not found (apt-get install wrk, or set WRK_BIN)');
const [durationArg, roundsArg, connectionsArg, adapterArg, outArg, variantsArg] = process.argv.slice(2);
const durationS = Number(durationArg ?? 5);
const rounds = Number(roundsArg ?? 5);
const connections = Number(connectionsArg ?? 16);
const adapter = adapterArg ?? 'postgres-js';
const outDir = outArg ?? '.';
const warmupS = 1;
const poolMax = 10; // jobbench run's default (src/config.ts DEFAULTS.poolMax)
const threads = wrkThreads(connections); // what jobbench's wrk runner uses at these connections
const here = fileURLToPath(new URL('..', import.meta.url));

type Window = { rps: number; serverCpuUsPerReq: number | null; harnessCpuPercent?: number };

/** Before the warm-up, what a window's probes ask before the load: /metrics at the queries, db-work and db-time starts, the event loop's reset. */
const PRIMING = ['/metrics', '/metrics', '/metrics', '/internal/process?reset=1', '/internal/process'];

async function plain(t: number, how: { primed?: boolean; scriptPath?: string } = {}): Promise<Window> {
  const server = await startNodeTarget({ adapter, poolMax, metrics: 'on', via: 'direct' }, databaseUrl!);
  try {
    const url = `${server.baseUrl}/health`;
    if (how.primed) for (const p of PRIMING) await (await fetchOnce(`${server.baseUrl}${p}`)).text();
    const script = how.scriptPath ? { scriptPath: how.scriptPath } : {};
    await runPlainWrk(wrkBin!, url, { threads: t, connections, durationS: warmupS, ...script });
    const cpu0 = processCpuUs(server.pid);
    const m = await runPlainWrk(wrkBin!, url, { threads: t, connections, durationS, ...script });
    const cpu1 = processCpuUs(server.pid);
    const cpu = cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / m.requests : null;
    return { rps: m.requestsPerSec, serverCpuUsPerReq: cpu };
  } finally {
    await server.stop();
  }
}

/** One `jobbench run` window: its own fresh server, its probes, no ceilings; read back from results.json. */
async function jobbench(tool: 'wrk' | 'autocannon', extra: string[] = []): Promise<Window> {
  const out = await mkdtemp(join(tmpdir(), 'jobbench-observer-'));
  try {
    const args = [
      JOBBENCH_BIN,
      ...['run', '--tool', tool, '--adapters', adapter, '--scenarios', 'health', '--connections', String(connections)],
      ...['--rounds', '1', '--duration', String(durationS), '--warmup', String(warmupS), '--pool-max', String(poolMax)],
      ...['--metrics', 'on', '--no-ceilings', '--db', 'external', '--jobs', '1000', '--out', out, ...extra],
    ];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, args, {
        cwd: here,
        env: process.env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`jobbench run --tool ${tool} exited with ${code}`);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    const round = results.cells[0]?.rounds[0];
    if (!round) throw new Error(`jobbench run --tool ${tool}: no measured window in results.json`);
    return {
      rps: round.requestsPerSec,
      serverCpuUsPerReq: round.serverCpuUsPerRequest ?? null,
      ...(round.harness ? { harnessCpuPercent: round.harness.cpuPercent } : {}),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

// jobbench's own script for /health, exporting to a scratch file (plain-lua); written once, removed at the end
const scratch = await mkdtemp(join(tmpdir(), 'jobbench-observer-lua-'));
const luaPath = join(scratch, 'health.lua');
await writeFile(
  luaPath,
  wrkScript({
    requests: buildRequestList({ scenario: 'health', seed: 1, jobCount: 1 }),
    threads,
    exportPath: join(scratch, 'export.txt'),
  }),
);

const VARIANTS: Record<string, () => Promise<Window>> = {
  plain: () => plain(threads),
  'plain-t1': () => plain(1),
  'plain-t2': () => plain(2),
  'plain-lua': () => plain(threads, { scriptPath: luaPath }),
  'plain-primed': () => plain(threads, { primed: true }),
  'jobbench-wrk': () => jobbench('wrk'),
  'jobbench-wrk-sampling-off': () => jobbench('wrk', ['--sample-interval', '3600']),
  'jobbench-autocannon': () => jobbench('autocannon'),
};
const names = variantsArg ? variantsArg.split(',') : Object.keys(VARIANTS);
for (const n of names) if (!VARIANTS[n]) throw new Error(`unknown variant ${n}: ${Object.keys(VARIANTS).join(', ')}`);
if (!names.includes('plain')) names.unshift('plain'); // every ratio is to plain

const loadBefore = loadavg().map((n) => n.toFixed(1));
const rows: ({ round: number; variant: string } & Window)[] = [];
for (let r = 0; r < rounds; r++)
  for (let i = 0; i < names.length; i++) {
    const variant = names[(i + r) % names.length]!;
    const w = await VARIANTS[variant]!();
    rows.push({ round: r + 1, variant, ...w });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }

const series = (v: string) =>
  Array.from({ length: rounds }, (_, r) => rows.find((x) => x.variant === v && x.round === r + 1));
const plainRps = series('plain').map((x) => x?.rps);
const variants = Object.fromEntries(
  names.map((v) => {
    const s = series(v);
    const ratio = summarizeLogRatios(
      pairLogRatios(
        plainRps,
        s.map((x) => x?.rps),
      ),
    );
    const cpu = s.flatMap((x) => (x?.serverCpuUsPerReq == null ? [] : [x.serverCpuUsPerReq]));
    const harness = s.flatMap((x) => (x?.harnessCpuPercent === undefined ? [] : [x.harnessCpuPercent]));
    return [
      v,
      {
        rpsMedian: median(s.flatMap((x) => (x ? [x.rps] : []))),
        serverCpuUsPerRequestMedian: cpu.length ? median(cpu) : null,
        harnessCpuPercentMedian: harness.length ? median(harness) : null,
        overPlain: ratio,
        overPlainText: v === 'plain' ? '1' : ratioText(ratio),
      },
    ];
  }),
);
const command = `DATABASE_URL=… npx tsx scripts/observer-cost.ts ${durationS} ${rounds} ${connections} ${adapter} ${outDir} ${names.join(',')}`;
const summary = {
  command,
  method: `/health of jobbench serve --adapter ${adapter} (metrics on, pool ${poolMax}), ${connections} connections, wrk -t${threads} as jobbench runs it, ${warmupS} s warm-up + ${durationS} s per window, a fresh server per window, ${rounds} rounds rotated; server CPU per request: the plain variants' from /proc around the wrk run, the jobbench variants' from results.json (the probes' span, which also holds their reads at its two ends)`,
  loadAverage: { before: loadBefore, after: loadavg().map((n) => n.toFixed(1)) },
  variants,
  rows,
};
const markdown = [
  `# The harness's weight on /health (scripts/observer-cost.ts)`,
  '',
  `\`${command}\``,
  '',
  summary.method + `; load average ${loadBefore.join(' ')} → ${summary.loadAverage.after.join(' ')}.`,
  '',
  `| variant | req/s (median of ${rounds}) | ÷ plain wrk (paired per round) | server CPU µs/request (median) | jobbench's own CPU, % of a core (median) |`,
  '|---|---:|---:|---:|---:|',
  ...Object.entries(variants).map(
    ([v, x]) =>
      `| ${v} | ${Math.round(x.rpsMedian)} | ${x.overPlainText} | ${x.serverCpuUsPerRequestMedian === null ? 'n/a' : x.serverCpuUsPerRequestMedian.toFixed(1)} | ${x.harnessCpuPercentMedian === null ? '–' : x.harnessCpuPercentMedian.toFixed(1)} |`,
  ),
  '',
].join('\n');
await rm(scratch, { recursive: true, force: true });
await writeFile(join(outDir, 'observer-cost.json'), JSON.stringify(summary, null, 2) + '\n');
await writeFile(join(outDir, 'observer-cost.md'), markdown);
console.log(markdown);
