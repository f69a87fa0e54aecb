/**
 * RSS over a window as a bounded series (`Round.rssOverTime`, built by bench/window/rss-series.ts): the
 * largest RSS seen in each bucket, of the harness and of the server, at most 60 points however long the
 * window (buckets widen past that).
 */
import { Type, type Static } from '@sinclair/typebox';
import { nonNegative, nullable } from './schema-kit.ts';

export const RssPointSchema = Type.Object({
  atS: nonNegative, // start of the bucket, seconds since the window began
  harnessRssBytes: nonNegative, // largest harness RSS sampled in the bucket
  serverRssBytes: nullable(nonNegative), // largest server RSS (process tree) in the bucket; null: no process evidence
});
export type RssPoint = Static<typeof RssPointSchema>;

export const RssSeriesSchema = Type.Object(
  {
    bucketS: Type.Number({ exclusiveMinimum: 0 }), // width of each point's bucket, seconds
    points: Type.Array(RssPointSchema, { maxItems: 1000 }),
  },
  { description: 'harness and server RSS per bucket (a minute; wider past 60 points)' },
);
export type RssSeries = Static<typeof RssSeriesSchema>;
