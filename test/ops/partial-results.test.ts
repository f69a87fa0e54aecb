import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, RESULTS_FILE_NAME } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { adapterAvailability } from '../../src/adapters/registry.ts';
import { BIN, childEnv, runCli } from '../cli/support.ts';
import { orphansAfter, processesWith } from '../faults/run-support.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// Issue 12: "partial results are written atomically at every completed window, so a crash or kill
// loses at most the window in flight", for the kinds beyond `run`. Each case starts a short real
// harness, waits until results.json holds one completed window, then kills it (kill -9, or Ctrl-C),
// and checks the file and that `jobbench report` renders it, marked partial. The windows are tiny:
// the point is the plumbing, not the numbers.

const WINDOW = ['--rounds', '1', '--warmup', '0.5', '--duration', '1', '--jobs', '200', '--slo-p99-ms', '60000'];
const pgSync = await adapterAvailability('pg-sync');

/** Each kind with enough windows that one completes well before the run ends. */
const KINDS = {
  // 3 pool sizes: 3 windows.
  sweep: ['sweep', '--adapters', 'pg-pool', '--scenarios', 'get-job', '--pool', '1,2,4', '--connections', '2'],
  // levels 1, 2, 4, 8 while they hold: 4 windows, a number nobody knows in advance.
  capacity: ['capacity', '--adapters', 'pg-pool', '--scenario', 'get-job', '--start', '1', '--max-connections', '8'],
  // phase 1: 2 windows (phase 2 reuses it: autocannon at the same connections), then 2 capacity searches.
  adr: [
    'adr',
    '--stack',
    'node',
    '--adapters',
    'pg-sync,pg-pool',
    '--scenarios',
    'get-job',
    '--connections',
    '2',
    '--pool-max',
    '2',
    '--latency-tool',
    'autocannon',
    '--light-connections',
    '2',
    '--capacity-start',
    '2',
    '--max-connections',
    '4',
    '--capacity-warmup',
    '0',
    '--capacity-duration',
    '1',
  ],
} as const;
type KindName = keyof typeof KINDS;

interface Harness {
  pid: number;
  marker: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The harness as a real process, leading its own process group (so that the test can clear it up). */
function ownTmp(out: string): string {
  const dir = join(out, 'tmp');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function start(kind: KindName, out: string, databaseUrl: string): Harness {
  const marker = randomUUID(); // inherited by every child: finds what a kill -9 leaves behind
  const child = spawn(process.execPath, [BIN, ...KINDS[kind], ...WINDOW, '--out', out], {
    // TMPDIR of its own (removed with `out`): the registry of the children a kill -9 leaves is ours to
    // clean (killLeftovers), not reaped by a jobbench of a test running in parallel.
    env: childEnv({ DATABASE_URL: databaseUrl, JOBBENCH_TEST_MARKER: marker, TMPDIR: ownTmp(out) }),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { pid: child.pid!, marker, stderr: () => stderr, exited };
}

/** Polls results.json until it holds at least one completed window with status "running". */
async function firstWindow(h: Harness, file: string, timeoutMs = 150_000): Promise<Results> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = await readResults(file).catch(() => undefined);
    if (results?.status === 'running' && (results.progress?.windowsDone ?? 0) >= 1) return results;
    const code = await Promise.race([h.exited, new Promise((r) => setTimeout(r, 200, 'running'))]);
    if (code !== 'running') throw new Error(`the harness exited before its first window:\n${h.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no completed window in ${timeoutMs} ms:\n${h.stderr()}`);
  }
}

/** SIGKILL cannot be caught: the API server (started detached, its own group) may outlive the harness. */
function killLeftovers(h: Harness): void {
  const kill = (pid: number) => {
    for (const target of [-pid, pid])
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone, or not a group leader
      }
  };
  kill(h.pid);
  for (const p of processesWith(h.marker)) kill(p.pid);
}

describe('partial results of adr, sweep and capacity survive kill -9 and Ctrl-C', () => {
  let db: TestDatabase;
  const outs: string[] = [];
  const harnesses: Harness[] = [];
  const out = () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobbench-partial-'));
    outs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const h of harnesses) killLeftovers(h);
    for (const dir of outs) rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** `jobbench report` on the file: exit 0, the terminal and report.md say it is partial and how much it holds. */
  async function expectPartialReport(file: string, dir: string, status: 'RUNNING' | 'ABORTED'): Promise<string> {
    const report = await runCli(['report', file]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(new RegExp(`PARTIAL RESULTS: run \\S+ (is still|was) ${status}`));
    expect(report.stdout).toMatch(/incomplete: \d+ (of \d+ windows|windows? so far)/);
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain(`**${status}** (partial, incomplete:`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/incomplete: \d+/);
    return report.stdout;
  }

  for (const kind of Object.keys(KINDS) as KindName[]) {
    const skip = kind === 'adr' && !pgSync.available;
    it.skipIf(skip)(
      `${kind}: kill -9 after a window leaves a valid running file that report renders`,
      async () => {
        const dir = out();
        const file = join(dir, RESULTS_FILE_NAME);
        const h = start(kind, dir, db.url);
        harnesses.push(h);
        await firstWindow(h, file);
        process.kill(h.pid, 'SIGKILL');
        expect((await h.exited).signal).toBe('SIGKILL');
        killLeftovers(h);
        expect(await orphansAfter(h.marker)).toEqual([]);

        // Read after the kill: a write in flight is either whole or not there (temporary file, rename).
        const results = await readResults(file);
        expect(results).toMatchObject({ kind, status: 'running' });
        expect(results.cells.length).toBeGreaterThanOrEqual(1);
        expect(results.cells.every((c) => c.rounds.length >= 1)).toBe(true);
        expect(results.progress!.windowsDone).toBeGreaterThanOrEqual(1);
        if (kind === 'sweep') expect(results.progress!.windowsPlanned).toBe(3);
        if (kind === 'capacity') {
          expect(results.progress!.windowsPlanned).toBeNull(); // a search's length is known only at its end
          const searches = (results.extra!.capacity as { searches: { stoppedBy: string; levels: unknown[] }[] })
            .searches;
          expect(searches[0]!.levels.length).toBeGreaterThanOrEqual(1);
        }
        if (kind === 'sweep') expect(results.extra?.sweep).toBeDefined(); // the recommendation so far
        const stdout = await expectPartialReport(file, dir, 'RUNNING');
        // The kind's section is there, marked partial, or the report says it is not there yet.
        expect(stdout).toMatch(/PARTIAL: computed from the windows measured so far|analysis is not in this file yet/);
      },
      240_000,
    );
  }

  for (const kind of Object.keys(KINDS) as KindName[]) {
    const skip = kind === 'adr' && !pgSync.available;
    it.skipIf(skip)(
      `${kind}: Ctrl-C after a window writes an aborted file with what was measured`,
      async () => {
        const dir = out();
        const file = join(dir, RESULTS_FILE_NAME);
        const h = start(kind, dir, db.url);
        harnesses.push(h);
        const partial = await firstWindow(h, file);
        process.kill(h.pid, 'SIGINT');
        const { code } = await h.exited;
        expect(code, h.stderr()).toBe(130);
        expect(await orphansAfter(h.marker, 5_000)).toEqual([]); // Ctrl-C is caught: jobbench clears up itself

        const results = await readResults(file);
        expect(results).toMatchObject({ kind, status: 'aborted' });
        expect(results.progress!.windowsDone).toBeGreaterThanOrEqual(partial.progress!.windowsDone);
        expect(results.cells.length).toBeGreaterThanOrEqual(partial.cells.length);
        await expectPartialReport(file, dir, 'ABORTED');
      },
      240_000,
    );
  }
});
