/**
 * The autocannon worker is kept from window to window (forking it took ~1.3 s of every window), and a
 * kept worker neither keeps the harness alive nor outlives it. A real worker against a real HTTP server.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTreePids } from '../../bench/host/procfs.ts';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import type { LoadWindow } from '../../bench/runners/types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('{"status":"ok"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const window = (over: Partial<LoadWindow> = {}): LoadWindow => ({
  baseUrl,
  scenario: 'health',
  durationS: 1,
  seed: 1,
  jobCount: 1,
  connections: 2,
  timeoutS: 5,
  ...over,
});

const workers = (root: number) =>
  processTreePids(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('autocannon/worker.ts');
    } catch {
      return false;
    }
  });

/** Processes whose environment holds `mark` (the worker inherits the harness's environment). */
const marked = (mark: string) =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(mark);
      } catch {
        return false;
      }
    });

describe('the autocannon worker', () => {
  it('serves one window after another in the same process', async () => {
    const first = await autocannonRunner.run(window());
    const kept = workers(process.pid);
    expect(kept).toHaveLength(1);
    const second = await autocannonRunner.run(window({ seed: 2 }));
    expect(workers(process.pid)).toEqual(kept);
    for (const m of [first, second]) {
      expect(m.requests).toBeGreaterThan(0);
      expect(m.statusCodes['200']).toBe(m.requests);
      expect(m.generatorCpuUs).toBeGreaterThan(0); // its own CPU over this window, not since its fork
    }
  }, 60_000);

  it('does not keep the harness alive, and exits with it', async () => {
    const mark = `JOBBENCH_TEST_MARK=worker-${process.pid}-${Date.now()}`;
    const script = `
      import { autocannonRunner } from './bench/runners/autocannon/runner.ts';
      const m = await autocannonRunner.run(${JSON.stringify(window())});
      console.log('requests', m.requests);`;
    // Asynchronously: the server answering the worker runs in this process.
    const r = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script],
          {
            cwd: ROOT,
            env: { ...process.env, [mark.split('=')[0]!]: mark.split('=')[1]! },
            timeout: 45_000, // a harness held open by its idle worker would be killed here (signal SIGTERM)
          },
          (_err, stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
        );
      },
    );
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/requests [1-9]/);
    // The worker saw its channel close and exited: nothing with the mark is left (give it a moment).
    const deadline = Date.now() + 5_000;
    while (marked(mark).length > 0 && Date.now() < deadline) await new Promise((w) => setTimeout(w, 100));
    expect(marked(mark)).toEqual([]);
  }, 60_000);
});
