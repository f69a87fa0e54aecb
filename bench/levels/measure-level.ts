import { measureWindow } from '../window/measure.ts';
import type { LoadSpec } from '../schedule/plan.ts';
import type { Round } from '../results/types.ts';
import type { TargetSpec } from '../targets/spec.ts';
import { startTarget } from '../targets/start.ts';
import type { TargetConnection } from '../targets/spec.ts';
import type { WindowSettings } from '../window/measure.ts';
import type { Progress } from '../host/progress.ts';
import type { LoadRunner } from '../runners/types.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';

/** How every level of a search is measured. */
export interface LevelOptions {
  scenario: ScenarioName;
  databaseUrl: string; // what the samplers read pg_stat_activity from (and the target, unless `connect`)
  connect?: (target: TargetSpec) => TargetConnection; // e.g. through PgBouncer
  runner: LoadRunner;
  settings: WindowSettings;
  rounds?: number; // windows per level (default 1); the level's p99 and req/s are their medians
  thinkTimeMs?: number; // levels are concurrent users with this think time (k6 constant-vus), not busy connections
  progress: Progress;
  signal?: AbortSignal;
}

/**
 * One level of one target: a fresh server (a level that broke the previous one must not leave queues or
 * leaked sockets behind), `rounds` windows at `connections`, the server stopped. Returns the rounds, or
 * null when Ctrl-C cut the level short (a window cut short is not a measurement).
 */
export async function measureLevel(
  spec: TargetSpec,
  connections: number,
  why: string,
  options: LevelOptions,
  turn: string,
): Promise<Round[] | null> {
  const rounds = options.rounds ?? 1;
  const where = `capacity${turn} · ${spec.adapter}${spec.via === 'pgbouncer' ? ' via pgbouncer' : ''} · ${connections} ${unit(options)}`;
  const load: LoadSpec = {
    scenario: options.scenario,
    connections,
    ...(options.thinkTimeMs === undefined ? {} : { thinkTimeMs: options.thinkTimeMs }),
  };
  options.progress.update(`[${where}] ${why}; starting server…`);
  const connection = options.connect?.(spec) ?? { databaseUrl: options.databaseUrl };
  const target = await startTarget(spec, connection.databaseUrl, connection.env);
  const measured: Round[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const { round: r } = await measureWindow({
        round,
        target,
        spec,
        load,
        runner: options.runner,
        settings: options.settings,
        databaseUrl: options.databaseUrl,
        signal: options.signal,
        onPhase: (phase, seconds) =>
          options.progress.update(
            `[${where}${rounds > 1 ? ` · window ${round}/${rounds}` : ''}] ${phase === 'warmup' ? 'warming up' : 'measuring'} ${seconds} s (${why})`,
          ),
      });
      if (options.signal?.aborted) return null;
      measured.push(r);
    }
  } finally {
    await target.stop();
  }
  return measured;
}

/** What a level counts: busy connections (closed model), or users with think time. */
export function unit(options: { thinkTimeMs?: number }): string {
  return options.thinkTimeMs === undefined ? 'connections' : `users (think time ${options.thinkTimeMs} ms)`;
}
