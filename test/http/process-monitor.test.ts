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
      clients = 1;
      await tick();
      expect(monitor.sampling()).toBe(true); // and stays on while its load is connected
      clients = 0;
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
