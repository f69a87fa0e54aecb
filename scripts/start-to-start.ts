/**
 * Does a server keep the speed it starts with? Compares the spread of req/s across fresh starts of the
 * same `jobbench serve` (one window each) with the spread across windows of one start kept up, the two
 * interleaved (a fresh start's window, then the kept start's window, and so on), under plain wrk.
 * If fresh starts spread much wider than one start's windows, a design that keeps one start per side
 * for all its rounds (the gate, the ADR map: bench/schedule/db-paths.ts keepServers) measures that
 * start's luck with an interval that cannot show it. Also what an idle kept server does to the fresh one
 * measured beside it: the first runs read fresh starts ~30% slower, which was the idle server's 1 kHz
 * timer, not the starts (results/reference/ceilings-2026-12-07c/start-to-start.md; docs/readme/performance.md,
 * "An idle jobbench server slowed the one measured beside it by 30%").
 *
 *   DATABASE_URL=… npx tsx scripts/start-to-start.ts [windows=10] [durationS=5] [connections=16] [paths=/health,/jobs/1]
 *
 * The database must hold job 1 for /jobs/1 (any `jobbench run` or `jobbench db seed` on it).
 */
import { loadavg } from 'node:os';
import { findWrk, wrkThreads } from '../bench/runners/wrk/runner.ts';
import { median } from '../bench/stats/bootstrap.ts';
import { serveArgs } from '../bench/targets/serve-args.ts';
import { startNodeServer } from './lib/node-server.ts';
import { runPlainWrk } from './lib/plain-wrk.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (the servers use it)');
const wrkBin = findWrk();
if (!wrkBin) throw new Error('wrk not found (apt-get install wrk, or set WRK_BIN)');
const windows = Number(process.argv[2] ?? 10);
const durationS = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 16);
const paths = (process.argv[5] ?? '/health,/jobs/1').split(',');
const threads = wrkThreads(connections);
const startServe = () =>
  startNodeServer(
    'jobbench serve --adapter pg-pool',
    (port) => serveArgs({ adapter: 'pg-pool', port, metrics: 'on' }),
    {
      env: { DATABASE_URL: url },
    },
  );

async function window(baseUrl: string, path: string): Promise<number> {
  await runPlainWrk(wrkBin!, `${baseUrl}${path}`, { threads, connections, durationS: 1 }); // warm-up
  const m = await runPlainWrk(wrkBin!, `${baseUrl}${path}`, { threads, connections, durationS });
  if (m.errors > 0) throw new Error(`${path}: ${m.errors} errors`);
  return Math.round(m.requestsPerSec);
}

function spread(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  const m = median(xs);
  return {
    median: m,
    min: Math.min(...xs),
    max: Math.max(...xs),
    cvPercent: Math.round((sd / mean) * 1000) / 10,
    maxOverMin: Math.round((Math.max(...xs) / Math.min(...xs)) * 1000) / 1000,
    windows: xs,
  };
}

const loadBefore = loadavg().map((n) => n.toFixed(1));
const out: Record<string, { freshStarts: ReturnType<typeof spread>; oneStart: ReturnType<typeof spread> }> = {};
for (const path of paths) {
  const kept = await startServe();
  const fresh: number[] = [];
  const one: number[] = [];
  try {
    for (let i = 0; i < windows; i++) {
      const s = await startServe();
      try {
        fresh.push(await window(s.baseUrl, path));
      } finally {
        await s.stop();
      }
      one.push(await window(kept.baseUrl, path));
      console.log(JSON.stringify({ path, window: i + 1, fresh: fresh.at(-1), kept: one.at(-1) }));
    }
  } finally {
    await kept.stop();
  }
  out[path] = { freshStarts: spread(fresh), oneStart: spread(one) };
}
console.log(
  JSON.stringify(
    {
      command: `DATABASE_URL=… npx tsx scripts/start-to-start.ts ${windows} ${durationS} ${connections} ${paths.join(',')}`,
      method: `jobbench serve --adapter pg-pool --metrics on; plain wrk -t${threads} -c${connections}, 1 s warm-up + ${durationS} s per window; a fresh start's window and the kept start's window alternate`,
      loadAverage: { before: loadBefore, after: loadavg().map((n) => n.toFixed(1)) },
      paths: out,
    },
    null,
    2,
  ),
);
console.log(
  [
    `| path | fresh starts: median req/s (min–max) | CV | one start kept: median req/s (min–max) | CV |`,
    '|---|---:|---:|---:|---:|',
    ...Object.entries(out).map(
      ([p, { freshStarts: f, oneStart: o }]) =>
        `| ${p} | ${f.median} (${f.min}–${f.max}) | ${f.cvPercent}% | ${o.median} (${o.min}–${o.max}) | ${o.cvPercent}% |`,
    ),
  ].join('\n'),
);
