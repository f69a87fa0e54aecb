import type { TargetSpec } from './spec.ts';
import { styleOf } from './kinds.ts';
import { targetDbConnections } from './workers.ts';

/**
 * The factors a run varies on its targets (DESIGN.md "The ADR's question is conditional"), each a
 * list: every target is crossed with every value, so each combination is its own target in the
 * schedule and is interleaved with the others like adapters are. Absent: the target's own setting.
 */
export interface TargetFactors {
  /** --db-latency: ms added to every database round trip (Toxiproxy). */
  dbLatencyMs?: readonly number[];
  /** --pool-max as a list: connections per server process. */
  poolMax?: readonly number[];
  /** --threads: the sync FastAPI target's thread pool (anyio's limiter); targets without one are left alone. */
  threads?: readonly number[];
  /** --workers: server processes of FastAPI targets (uvicorn --workers), each with its own pool. */
  workers?: readonly number[];
}

type Expand = (spec: TargetSpec) => TargetSpec[];

const cross =
  <T>(values: readonly T[] | undefined, apply: (spec: TargetSpec, value: T) => TargetSpec | undefined): Expand =>
  (spec) => {
    if (!values || values.length === 0) return [spec];
    const out = values.map((v) => apply(spec, v));
    return out.every((s) => s !== undefined) ? (out as TargetSpec[]) : [spec];
  };

/** Every target crossed with every factor value (latency outermost, so one latency's targets stay together). */
export function withFactors(targets: readonly TargetSpec[], factors: TargetFactors): TargetSpec[] {
  const steps: Expand[] = [
    cross(factors.dbLatencyMs, (spec, dbLatencyMs) => ({ ...spec, dbLatencyMs })),
    cross(factors.poolMax, (spec, poolMax) => ({ ...spec, poolMax })),
    // Only the sync style has a thread pool that bounds it: the others keep one spec.
    cross(factors.threads, (spec, threads) =>
      spec.kind === 'fastapi' && styleOf(spec.adapter) === 'sync'
        ? { ...spec, fastapi: { ...spec.fastapi, threads } }
        : undefined,
    ),
    cross(factors.workers, (spec, workers) => (spec.kind === 'fastapi' ? { ...spec, workers } : undefined)),
  ];
  return steps.reduce<TargetSpec[]>((specs, step) => specs.flatMap(step), [...targets]);
}

/**
 * The most PostgreSQL connections the targets of a plan hold at once: with keepServers every target's
 * pool stays open across the windows it serves, so they add up; otherwise one target runs at a time.
 */
export function plannedDbConnections(targets: readonly TargetSpec[], serversKept: boolean): number {
  const per = targets.map((t) =>
    t.kind === 'external' ? 0 : t.kind === 'fastapi' ? t.poolMax * (t.workers ?? 1) : targetDbConnections(t),
  );
  return serversKept ? per.reduce((a, b) => a + b, 0) : Math.max(0, ...per);
}
