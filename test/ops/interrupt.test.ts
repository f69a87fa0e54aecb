import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { readResults, RESULTS_FILE_NAME } from '../../bench/results/io.ts';
import { mulberry32 } from '../../bench/stats/bootstrap.ts';
import { BIN, childEnv } from '../cli/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { alive, watchDescendants } from '../support/process-tree.ts';

// SIGINT or SIGTERM at a random moment (seeded) of short real runs. After each: no process the run
// started is left, the exit code is the documented one (130 / 143, or 0 if the run had already
// finished), the results file is valid (complete or aborted) or absent only when no cell had been
// measured when the signal came, and the results of earlier trials are untouched.
// Trials run two at a time (the machine has 2 cores); a trial lasts at most one smoke run (~10-25 s here).

const TRIALS = Number(process.env.JOBBENCH_INTERRUPT_TRIALS ?? 20);
const SEED = Number(process.env.JOBBENCH_INTERRUPT_SEED ?? 1_212);
const PARALLEL = 2;
const MAX_DELAY_MS = 14_000; // a smoke run of one adapter after its first line: ~10 s to start the server, ~5 s to measure
const EXIT_WITHIN_MS = 25_000; // lifecycle.ts forces the cleanups 20 s after the first signal
const CELL_DONE = / req\/s, p50 /; // the progress line of a measured cell

const root = mkdtempSync(join(tmpdir(), 'jobbench-interrupt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Trial {
  index: number;
  signal: 'SIGINT' | 'SIGTERM';
  delayMs: number;
  early: boolean; // counted from the spawn rather than from the first line
}

function digest(dir: string): string {
  if (!existsSync(dir)) return 'absent';
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) h.update(name).update(readFileSync(join(dir, name)));
  return h.digest('hex');
}

async function runTrial(trial: Trial, databaseUrl: string): Promise<string[]> {
  const dir = join(root, `trial-${trial.index}`);
  const args = ['run', '--profile', 'smoke', '--adapters', 'pg-pool', '--duration', '1', '--warmup', '0'];
  const child = spawn(process.execPath, [BIN, ...args, '--out', dir], {
    env: childEnv({ DATABASE_URL: databaseUrl }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const watch = watchDescendants(child.pid!, 50);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  // The moment counts from the run's first line: node and tsx take seconds to start on a busy machine,
  // and a signal then meets node's default action, not jobbench (those are the `early` trials).
  const firstLine = trial.early
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.stderr!.once('data', () => resolve()));
  await Promise.race([firstLine.then(() => new Promise((r) => setTimeout(r, trial.delayMs))), exited]);
  const finishedBefore = child.exitCode !== null;
  const measuredBefore = CELL_DONE.test(stderr);
  if (!finishedBefore) child.kill(trial.signal);
  const sentAtMs = performance.now();
  const exit = await Promise.race([
    exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`trial ${trial.index} still running`)), EXIT_WITHIN_MS),
    ),
  ]).finally(() => watch.stop());
  const problems: string[] = [];
  const what = `trial ${trial.index} (${trial.signal} at ${trial.early ? '' : 'first line + '}${trial.delayMs} ms, exit ${exit.code ?? exit.signal})`;
  const tookMs = performance.now() - sentAtMs;

  // No orphan: every process seen under the run is gone (give reaped children a moment).
  for (let i = 0; i < 30 && [...watch.seen.keys()].some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  for (const [pid, cmdlines] of watch.seen)
    if (alive(pid)) problems.push(`${what}: left pid ${pid} running (${[...cmdlines].join(' | ').slice(0, 160)})`);

  const expected = finishedBefore ? [0] : trial.signal === 'SIGINT' ? [130, 0] : [143, 0];
  // Before the handlers are installed (node still starting) the default action kills with the signal.
  const killedEarly = exit.code === null && exit.signal === trial.signal && trial.early && stderr === '';
  if (!killedEarly && !expected.includes(exit.code ?? -1))
    problems.push(`${what}: exit code, expected ${expected.join(' or ')}\n${stderr.slice(-600)}`);
  if (exit.code === 0 && !finishedBefore && !stderr.includes('results:'))
    problems.push(`${what}: exit 0 after the signal without finishing`);

  const file = join(dir, RESULTS_FILE_NAME);
  if (existsSync(file)) {
    try {
      const results = await readResults(file);
      if (!['complete', 'aborted'].includes(results.status)) problems.push(`${what}: status ${results.status}`);
    } catch (err) {
      problems.push(`${what}: invalid results file: ${(err as Error).message}`);
    }
  } else if (measuredBefore) {
    problems.push(`${what}: a cell was measured before the signal, yet no results file`);
  }
  process.stderr.write(
    `${what}: ${existsSync(file) ? 'results written' : 'no results (nothing measured yet)'}, exited ${tookMs.toFixed(0)} ms after the signal\n`,
  );
  return problems;
}

describe.skipIf(inject('databaseKind') !== 'external' || process.platform !== 'linux')('an interrupted run', () => {
  // One database per trial running at once: one benchmark per database at a time (the run lock).
  const databases: TestDatabase[] = [];
  beforeAll(async () => {
    for (let i = 0; i < PARALLEL; i++) databases.push(await createTestDatabase());
  });
  afterAll(async () => Promise.all(databases.map((d) => d.drop())));

  it(
    `leaves no orphan, a valid or no results file and earlier results untouched (${TRIALS} trials)`,
    {
      timeout: 15 * 60_000,
    },
    async () => {
      const random = mulberry32(SEED);
      const trials: Trial[] = Array.from({ length: TRIALS }, (_, index) => ({
        index,
        signal: random() < 0.5 ? 'SIGINT' : 'SIGTERM',
        delayMs: Math.round(random() * MAX_DELAY_MS),
        early: index % 10 === 0,
      }));
      const problems: string[] = [];
      const earlier = new Map<number, string>(); // trial index -> digest of its folder once it ended
      const startedMs = performance.now();
      for (let i = 0; i < trials.length; i += PARALLEL) {
        const batch = trials.slice(i, i + PARALLEL);
        const found = await Promise.all(batch.map((t, slot) => runTrial(t, databases[slot]!.url)));
        problems.push(...found.flat());
        for (const [index, hash] of earlier)
          if (digest(join(root, `trial-${index}`)) !== hash) problems.push(`trial ${index}'s results changed later`);
        for (const t of batch) earlier.set(t.index, digest(join(root, `trial-${t.index}`)));
      }
      process.stderr.write(`${TRIALS} interrupt trials in ${((performance.now() - startedMs) / 1000).toFixed(0)} s\n`);
      expect(problems, `seed ${SEED} (JOBBENCH_INTERRUPT_SEED to replay)`).toEqual([]);
    },
  );
});
