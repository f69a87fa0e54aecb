/** Self time per function from a .cpuprofile: a hand-made profile (exact) and one V8 generates (shape). */
import { Session } from 'node:inspector/promises';
import { describe, expect, it } from 'vitest';
import { selfTimes, shortUrl, topSelfTimes, type CpuProfile } from '../../bench/window/cpu-profile.ts';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber });

// root -> main -> (hot, cold); a second "hot" node under root (another call path, same function).
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('main', 'file:///app/src/app.ts', 9), children: [3, 4] },
    { id: 3, callFrame: frame('hot', 'file:///app/node_modules/fastify/lib/reply.js', 99) },
    { id: 4, callFrame: frame('', 'file:///app/src/x.ts', 0) },
    { id: 5, callFrame: frame('hot', 'file:///app/node_modules/fastify/lib/reply.js', 99) },
  ],
  startTime: 1_000,
  endTime: 11_000,
  samples: [3, 3, 4, 5, 2],
  timeDeltas: [0, 2_000, 2_000, 1_000, 3_000], // samples at 1000, 3000, 5000, 6000, 9000; end 11000
};

describe('selfTimes', () => {
  it('gives each sample the time until the next and sums nodes of one function', () => {
    const { sampledMs, functions } = selfTimes(PROFILE);
    expect(sampledMs).toBe(10);
    expect(functions.map((f) => [f.functionName, f.selfMs, f.selfPercent])).toEqual([
      ['hot', 7, 70], // 2 + 2 (node 3) + 3 (node 5)
      ['main', 2, 20], // the last sample, until endTime
      ['(anonymous)', 1, 10],
    ]);
    expect(functions[0]).toMatchObject({ url: 'file:///app/node_modules/fastify/lib/reply.js', line: 100 });
  });

  it('shortens paths to the package or the repository folder', () => {
    expect(topSelfTimes(PROFILE, 2).top.map((f) => f.url)).toEqual(['fastify/lib/reply.js', 'src/app.ts']);
    expect(shortUrl('node:internal/timers')).toBe('node:internal/timers');
  });

  it('reads a profile V8 itself wrote, and finds the busy function in it', async () => {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    function spinForProfile(ms: number): number {
      let x = 0;
      const end = performance.now() + ms;
      while (performance.now() < end) x += Math.sqrt(x + 1);
      return x;
    }
    spinForProfile(200);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const { sampledMs, functions } = selfTimes(profile as unknown as CpuProfile);
    expect(sampledMs).toBeGreaterThan(0);
    const total = functions.reduce((a, f) => a + f.selfMs, 0);
    expect(total).toBeCloseTo(sampledMs, 0);
    expect(functions.some((f) => f.functionName === 'spinForProfile')).toBe(true);
  });
});
