import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProcessMonitor } from '../../src/http/process-monitor.ts';

// The event-loop delay histogram wakes its process 1,000 times a second; an idle server doing so slowed
// another server measured beside it by ~30% (scripts/idle-neighbour.sh). With a `connected` check it runs
// only while a client is connected, and a window's first read (reset) switches it on at once.

afterEach(() => vi.useRealTimers());

/** Lets the 1-Hz check run once: its timer, then the promise it awaits. */
async function tick() {
  await vi.advanceTimersByTimeAsync(1000);
}

describe('the process monitor', () => {
  it('stops its histogram when no client is connected and starts it at a window start', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clients = 0;
    const monitor = createProcessMonitor({ connected: async () => clients > 0 });
    try {
      expect(monitor.sampling()).toBe(true); // on from the start, as before
      await tick();
      expect(monitor.sampling()).toBe(false); // idle: no one connected
      monitor.report(null, false);
      expect(monitor.sampling()).toBe(false); // a read alone does not start it
      monitor.report(null, true);
      expect(monitor.sampling()).toBe(true); // a window starts
      // A check falling between the window's first read and its generator connecting does not stop it
      // (it did, and the switch back on read the second off as a ~1,000 ms event-loop delay).
      await tick();
      expect(monitor.sampling()).toBe(true);
      clients = 1;
      await tick();
      expect(monitor.sampling()).toBe(true); // and stays on while its load is connected
      clients = 0;
      await tick();
      expect(monitor.sampling()).toBe(false); // the load left: off at once (a neighbour's window may start)
      monitor.report(null, true);
      await tick();
      expect(monitor.sampling()).toBe(true); // a window whose load never connects: spared at one check only
      await tick();
      expect(monitor.sampling()).toBe(false);
      clients = 1;
      await tick();
      expect(monitor.sampling()).toBe(true); // a client connecting between windows starts it too
    } finally {
      monitor.stop();
    }
    expect(monitor.sampling()).toBe(false);
    await tick();
    expect(monitor.sampling()).toBe(false); // no check after stop()
  });

  it('does not read a window whose load connects just after its first read as a one-second stall', async () => {
    // Real timers, ordered by their due times (libuv), not by how fast this machine is: the monitor's
    // check runs at 1,000 and 2,000 ms; the window's first read comes at 900, its load at 1,100.
    let clients = 0;
    const monitor = createProcessMonitor({ connected: async () => clients > 0 });
    const at = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const t0 = at(900);
      const connect = at(1100);
      const end = at(2200);
      await t0;
      monitor.report(null, true);
      await connect;
      clients = 1;
      await end;
      // Had the check at 1,000 ms stopped the histogram, the one at 2,000 ms would have started it again
      // without a reset, and Node would record the second it was off as one delay (~1,000 ms).
      expect(monitor.report(null, false).eventLoop.maxDelayMs).toBeLessThan(500);
    } finally {
      monitor.stop();
    }
  });

  it('samples all the time without a connected check, and never in the counting mode', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const always = createProcessMonitor();
    const counting = createProcessMonitor({ eventLoop: false, connected: async () => true });
    try {
      await tick();
      expect(always.sampling()).toBe(true);
      counting.report(null, true);
      await tick();
      expect(counting.sampling()).toBe(false);
      expect(counting.report(null, false).eventLoop.samples).toBe(0);
    } finally {
      always.stop();
      counting.stop();
    }
  });
});
