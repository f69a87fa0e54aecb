/**
 * Wraps an expensive async sample (a pg_stat_activity query) so that scrapes reuse one result
 * for `cacheMs`, concurrent scrapes share one query, and a slow or failing sample can never
 * hold a scrape past `timeoutMs`. Failures read as null (the gauge is then left out) and are
 * cached too, so a database that is down is not asked again on every scrape.
 */
export interface CachedSampleOptions {
  cacheMs: number;
  timeoutMs: number;
  now?: () => number; // ms; injectable for tests
}

export function cachedSample(
  sample: () => Promise<number>,
  options: CachedSampleOptions,
): () => Promise<number | null> {
  const now = options.now ?? (() => performance.now());
  let value: number | null = null;
  let takenAtMs = Number.NEGATIVE_INFINITY;
  let pending: Promise<number | null> | null = null;

  const take = async (): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(resolve, options.timeoutMs, null);
      timer.unref();
    });
    try {
      const result = await Promise.race([sample().catch(() => null), timeout]);
      return typeof result === 'number' && Number.isFinite(result) ? result : null;
    } finally {
      clearTimeout(timer);
    }
  };

  return () => {
    if (now() - takenAtMs < options.cacheMs) return Promise.resolve(value);
    if (pending) return pending;
    pending = take().then((result) => {
      value = result;
      takenAtMs = now();
      pending = null;
      return result;
    });
    return pending;
  };
}
