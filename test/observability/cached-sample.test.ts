import { describe, expect, it } from 'vitest';
import { cachedSample } from '../../src/metrics/cached-sample.ts';

function clock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

describe('cachedSample', () => {
  it('reuses one value within the cache window and samples again after it', async () => {
    const c = clock();
    let calls = 0;
    const get = cachedSample(async () => ++calls, { cacheMs: 1_000, timeoutMs: 100, now: c.now });
    expect(await get()).toBe(1);
    c.advance(999);
    expect(await get()).toBe(1);
    c.advance(1);
    expect(await get()).toBe(2);
    expect(calls).toBe(2);
  });

  it('shares one query between concurrent scrapes', async () => {
    let calls = 0;
    const get = cachedSample(
      async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 10));
        return 7;
      },
      { cacheMs: 0, timeoutMs: 1_000 },
    );
    expect(await Promise.all([get(), get(), get()])).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
  });

  it.each([
    ['a rejection', () => Promise.reject(new Error('down'))],
    ['a value that is not a number', () => Promise.resolve(Number.NaN)],
    ['a sample slower than the timeout', () => new Promise<number>((r) => setTimeout(r, 1_000, 3))],
  ])('reads %s as null', async (_name, sample) => {
    const get = cachedSample(sample, { cacheMs: 1_000, timeoutMs: 20 });
    expect(await get()).toBeNull();
  });

  it('caches a failure too, so a database that is down is not asked on every scrape', async () => {
    const c = clock();
    let calls = 0;
    const get = cachedSample(
      async () => {
        calls += 1;
        throw new Error('down');
      },
      { cacheMs: 1_000, timeoutMs: 100, now: c.now },
    );
    await get();
    await get();
    expect(calls).toBe(1);
  });
});
