/**
 * RSS over a window as a bounded series: the largest RSS seen in each bucket (a minute by default), of
 * the harness and of the server. However long the window, at most `maxPoints` buckets are kept: when one
 * more would not fit, the bucket width doubles and neighbouring buckets merge (max of the two), so a
 * 24-hour window keeps as many points as a one-hour one. Nothing is stored per sample. Pure.
 */
import type { RssPoint, RssSeries } from '../results/memory.ts';

export const RSS_BUCKET_S = 60; // per minute: what a 10-minute soak shows
export const RSS_MAX_POINTS = 60; // then buckets widen: 60 points whatever the window's length

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export function createRssSeries(bucketS = RSS_BUCKET_S, maxPoints = RSS_MAX_POINTS) {
  let width = bucketS;
  let points: RssPoint[] = [];
  const merge = () => {
    width *= 2;
    const merged = new Map<number, RssPoint>();
    for (const p of points) {
      const atS = Math.floor(p.atS / width) * width;
      const q = merged.get(atS);
      merged.set(
        atS,
        q
          ? {
              atS,
              harnessRssBytes: Math.max(q.harnessRssBytes, p.harnessRssBytes),
              serverRssBytes: maxOrNull(q.serverRssBytes, p.serverRssBytes),
            }
          : { ...p, atS },
      );
    }
    points = [...merged.values()];
  };
  // Samples arrive in time order: a sample goes into the last bucket, or a new one if there is room,
  // or, when there is none, the buckets widen until it fits one of the two.
  const add = (atS: number, harnessRssBytes: number, serverRssBytes: number | null): void => {
    for (;;) {
      const bucket = Math.floor(atS / width) * width;
      const last = points[points.length - 1];
      if (last && last.atS === bucket) {
        last.harnessRssBytes = Math.max(last.harnessRssBytes, harnessRssBytes);
        last.serverRssBytes = maxOrNull(last.serverRssBytes, serverRssBytes);
        return;
      }
      if (points.length < maxPoints) {
        points.push({ atS: bucket, harnessRssBytes, serverRssBytes });
        return;
      }
      merge();
    }
  };
  return {
    add,
    /** A copy: the caller may keep it while sampling goes on. */
    series(): RssSeries {
      return { bucketS: width, points: points.map((p) => ({ ...p })) };
    },
  };
}
