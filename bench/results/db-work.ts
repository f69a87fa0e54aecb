/** Database work per request over one window, from pg_stat_statements deltas (bench/window/probes/db-work.ts). */
import { Type, type Static } from '@sinclair/typebox';
import { count, nonNegative } from './schema-kit.ts';

/** Work per completed request: statement calls, rows returned or affected, buffers touched, temp blocks. */
export const DbWorkFiguresSchema = Type.Object({
  calls: nonNegative,
  rows: nonNegative,
  sharedBlocks: nonNegative, // shared_blks_hit + shared_blks_read: pages touched, cached or not
  tempBlocks: nonNegative, // temp_blks_read + temp_blks_written: sorts and hashes that spilled
});
export type DbWorkFigures = Static<typeof DbWorkFiguresSchema>;

/** One statement's work per request. `query` is pg_stat_statements' normalized text: the key across two databases (queryids differ, their relation OIDs do). */
export const DbStatementWorkSchema = Type.Intersect([Type.Object({ query: Type.String() }), DbWorkFiguresSchema]);
export type DbStatementWork = Static<typeof DbStatementWorkSchema>;

export const DbWorkSchema = Type.Object({
  requests: count, // completed requests of the window: the divisor
  total: DbWorkFiguresSchema,
  statements: Type.Array(DbStatementWorkSchema), // those called in the window, most shared blocks first
});
export type DbWork = Static<typeof DbWorkSchema>;
