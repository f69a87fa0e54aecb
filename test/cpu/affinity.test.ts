/**
 * CPU placement with the real taskset: a child process and a real API server pinned, their affinity read
 * back from the kernel; lists refused with the reason. Skips when taskset (util-linux) is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affinityOf, parseCpuList, parsePlacement, pinTree } from '../../bench/host/affinity.ts';
import { openWindowContext } from '../../bench/window/context.ts';
import { placementProbe } from '../../bench/window/probes/placement.ts';
import { startApi, type Api } from '../k6/support.ts';

const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;
const ALLOWED = parseCpuList(affinityOf('self'));
const LAST = String(ALLOWED[ALLOWED.length - 1]);

describe('cpu lists and --cpus', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['3,0-1', [0, 1, 3]],
  ])('parses %s', (text, cpus) => expect(parseCpuList(text)).toEqual(cpus));

  it('refuses a CPU that does not exist, naming it and what exists', () => {
    expect(() => parsePlacement('server=0,generator=7', [0, 1])).toThrow(/CPU 7 does not exist here .*use 0, 1/);
    expect(() => parsePlacement('server=0-1,generator=1', [0, 1])).toThrow(/share CPU 1/);
    expect(() => parsePlacement('gpu=0', [0, 1])).toThrow(/--cpus takes server=LIST/);
    expect(parsePlacement('server=0,generator=1,db=1', [0, 1])).toEqual({ server: '0', generator: '1', db: '1' });
  });
});

describe.skipIf(!HAS_TASKSET)('pinning (real taskset)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  }, 90_000);
  afterAll(async () => api?.stop());

  it('pins a child process and reads its affinity back', async () => {
    const child = spawn('sleep', ['30']);
    try {
      await new Promise((r) => child.once('spawn', r));
      pinTree(child.pid!, LAST);
      expect(affinityOf(child.pid!)).toBe(LAST);
      const status = spawnSync('taskset', ['-c', '-p', String(child.pid)], { encoding: 'utf8' }).stdout;
      expect(status).toMatch(new RegExp(`list: ${LAST}\\s*$`));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('pins every thread of the API server and records it per window', async () => {
    const window = openWindowContext({
      round: 1,
      target: api.target,
      spec: { adapter: 'pg-pool', poolMax: 10, metrics: 'on', via: 'direct' },
      load: { scenario: 'get-job', connections: 1 },
      tool: 'autocannon',
      databaseUrl: api.db.url,
    });
    const probe = placementProbe({ server: LAST });
    expect(probe.from).toBe('warmup'); // pinned before the warm-up, not only around the measured load
    await probe.start(window.contextFor(probe));
    const readBack = (await probe.stop({})).round?.cpu?.affinity;
    await window.close();
    expect(readBack?.server).toBe(LAST);
    expect(readBack?.generator).toBe(affinityOf('self'));
    expect(readBack?.db).toBeNull();
    const threads = spawnSync('ls', [`/proc/${api.target.pid}/task`], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    expect(threads.length).toBeGreaterThan(1); // node has worker threads: all of them are pinned
    for (const tid of threads) expect(affinityOf(Number(tid))).toBe(LAST);
    expect(cpus().length).toBeGreaterThanOrEqual(ALLOWED.length);
  });
});
