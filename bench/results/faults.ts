/**
 * A window with a scheduled fault (--fault): what was done when (bench/faults/inject.ts), responses per
 * second by result, and how the target came through it (bench/faults/timeline.ts computes both).
 */
import { Type, type Static } from '@sinclair/typebox';
import { count, nullable, record } from './schema-kit.ts';

export const FaultEventSchema = Type.Object({
  spec: Type.String(),
  action: Type.String(), // "db stopped", "db started", "proxy disabled", "latency 50 ms on", "server killed", …
  atMs: Type.Number(), // when the action began, ms from the start of the measured load
  /** How long it took (a database shutdown under load: about a second); absent in files written before Dec 2026. */
  tookMs: Type.Optional(Type.Number()),
  clears: Type.Optional(Type.Literal(true)), // this action ended the fault: time to recover counts from its end
  via: Type.Optional(Type.String()), // db-restart: what stopped and started the server ("pg_ctlcluster 15 main", …)
  error: Type.Optional(Type.String()),
});
export type FaultEvent = Static<typeof FaultEventSchema>;

export const TimelineSecondSchema = Type.Object({
  startS: count, // this second covers [startS, startS + 1) of the measured window
  total: count,
  ok: count,
  failed: count,
  /** Counts by HTTP status ("200", "503"), error code ("ECONNRESET") or "no-answer". */
  byResult: record(count),
});
export type TimelineSecond = Static<typeof TimelineSecondSchema>;

export const ResilienceFiguresSchema = Type.Object({
  requestsTotal: count,
  /** Every request that did not succeed: failing status, transport error or no answer. */
  requestsFailed: count,
  /** Requests with neither a response nor an error (must be 0: every request gets an answer or a timeout). */
  requestsNoAnswer: count,
  firstFailedMs: nullable(Type.Number()),
  lastFailedMs: nullable(Type.Number()),
  /** lastFailedMs − firstFailedMs (0 for a single failure); null when nothing failed. */
  errorWindowMs: nullable(Type.Number()),
  /**
   * From the fault's clearing to the first whole second after it with ≥ 95% success, in whole seconds
   * counted from the clearing (so a fault that did no harm scores 0, whatever the alignment of the
   * clock); null when no such second came before the window ended.
   */
  timeToRecoverMs: nullable(Type.Number()),
});
export type ResilienceFigures = Static<typeof ResilienceFiguresSchema>;
