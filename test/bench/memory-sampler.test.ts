/**
 * The harness's memory evidence stays bounded however long the window: the sampler keeps a peak, an end
 * value and a bounded series, never its samples. Counts, not timing: the clock is fake.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMemorySampler } from '../../bench/window/probes/memory.ts';
import { createRssSeries, RSS_MAX_POINTS } from '../../bench/window/rss-series.ts';

describe('RSS series', () => {
  it('keeps the largest RSS of each minute', () => {
    const s = createRssSeries();
    s.add(0, 100, 10);
    s.add(30, 300, null);
    s.add(59.9, 200, 30);
    s.add(60, 150, 5);
    expect(s.series()).toEqual({
      bucketS: 60,
      points: [
        { atS: 0, harnessRssBytes: 300, serverRssBytes: 30 },
        { atS: 60, harnessRssBytes: 150, serverRssBytes: 5 },
      ],
    });
  });

  it.each([
    { windowS: 600, everyS: 1, points: 11, bucketS: 60 }, // the soak: one point a minute (and the last sample)
    { windowS: 86_400, everyS: 1, points: 46, bucketS: 1_920 }, // a day: buckets widen, at most 60 points
  ])('a $windowS s window sampled every $everyS s keeps $points points', ({ windowS, everyS, points, bucketS }) => {
    const s = createRssSeries();
    let peak = 0;
    for (let t = 0; t <= windowS; t += everyS) {
      const rss = 1e8 + ((t * 7919) % 1e6);
      peak = Math.max(peak, rss);
      s.add(t, rss, rss / 2);
    }
    const { points: kept, bucketS: width } = s.series();
    expect(kept.length).toBeLessThanOrEqual(RSS_MAX_POINTS);
    expect([kept.length, width]).toEqual([points, bucketS]);
    expect(Math.max(...kept.map((p) => p.harnessRssBytes))).toBe(peak); // merging keeps the peak
    expect(kept[0]!.atS).toBe(0);
    expect(kept[kept.length - 1]!.atS + width).toBeGreaterThan(windowS); // and covers the whole window
  });
});

describe('memory sampler over a 20 s window', () => {
  afterEach(() => vi.useRealTimers());

  it('takes a sample every interval but stores a bounded series', async () => {
    vi.useFakeTimers();
    let serverRss = 50e6;
    const sampler = await startMemorySampler({
      intervalMs: 250,
      bucketS: 1,
      maxPoints: 8,
      nowMs: () => Date.now(),
      serverRssBytes: () => (serverRss += 1e3),
    });
    await vi.advanceTimersByTimeAsync(20_000);
    const reading = await sampler.stop();
    expect(reading.samples).toBeGreaterThanOrEqual(80); // 20 s at 4 a second, and a last one at stop
    expect(reading.series.points.length).toBeLessThanOrEqual(8);
    expect(reading.series.bucketS).toBe(4); // 1 s buckets widened twice to fit 20 s in 8 points
    expect(reading.series.points[reading.series.points.length - 1]!.serverRssBytes).toBe(serverRss);
    expect(reading.harnessPeakRssBytes).toBeGreaterThanOrEqual(reading.harnessEndRssBytes);
    expect(reading.harnessEndRssBytes).toBeGreaterThan(0);
  });

  it('records null for the server when it has no process to read (an external target, or one that died)', async () => {
    const sampler = await startMemorySampler({
      serverRssBytes: () => {
        throw new Error('ENOENT');
      },
    });
    const reading = await sampler.stop();
    expect(reading.series.points.every((p) => p.serverRssBytes === null)).toBe(true);
  });
});
