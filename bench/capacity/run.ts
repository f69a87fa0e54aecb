import type { TargetConnection } from '../benchmark.ts';
import { measureWindow, type WindowSettings } from '../measure.ts';
import type { LoadSpec } from '../plan.ts';
import type { Progress } from '../progress.ts';
import type { Cell, Round } from '../results/types.ts';
import type { LoadRunner } from '../runners/types.ts';
import { median } from '../stats/bootstrap.ts';
import { summarizeCell } from '../stats/summarize.ts';
import { startTarget, type TargetSpec } from '../target.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { ensureFdLimit, type FdReport } from './fd-limit.ts';
import { nextStep, sloBreach, STOP_REASONS, type CapacitySlo, type LevelOutcome, type StopReason } from './search.ts';

/** One level of the search as measured: what the curve and the report show. */
export interface CapacityLevel {
  connections: number;
  requestsPerSec: number; // median over the level's rounds
  p50Ms: number; // median over rounds
  p99Ms: number; // median over rounds
  errorRate: number; // (errors + non-2xx) / attempts over all rounds, 0..1
  requests: number; // responses, summed over rounds
  errors: number; // requests without a response (connection errors, timeouts)
  non2xx: number;
  dbBackends: number; // max backends of the server in pg_stat_activity
  poolWaitingMax: number | null;
  generatorCpuPercent: number; // max over rounds, % of one core
  generatorBound: boolean; // the load generator was the bottleneck: the level's throughput is a floor
  held: boolean;
  breach: string | null; // why it did not hold
  why: string; // why the search tried this level
}

export interface CapacitySearchResult {
  adapter: string;
  poolMax: number;
  via: TargetSpec['via'];
  scenario: ScenarioName;
  slo: CapacitySlo;
  levels: CapacityLevel[]; // in the order tried
  curve: CapacityLevel[]; // the same, by connections
  heldConnections: number | null; // the answer: the largest level that held (null: none held)
  firstFailingConnections: number | null;
  stoppedBy: StopReason | 'error' | 'aborted';
  why: string;
  fd: FdReport;
  cells: Cell[]; // one per level, for the results file
  error?: string;
}

export interface CapacitySearchOptions {
  target: TargetSpec;
  scenario: ScenarioName;
  databaseUrl: string; // what the samplers read pg_stat_activity from (and the target, unless `connect`)
  connect?: (target: TargetSpec) => TargetConnection; // e.g. through PgBouncer
  runner: LoadRunner;
  settings: WindowSettings;
  slo: CapacitySlo;
  maxConnections: number;
  startConnections: number;
  rounds?: number; // windows per level (default 1); the level's p99 is their median
  resolution?: number; // see search.ts
  progress: Progress;
  signal?: AbortSignal;
}

const SERVER_START_S = 2; // rough, for the time estimate only

/**
 * Runs the capacity search for one target: for each level the search asks for, start a fresh server
 * (a level that broke it must not leave queues or leaked sockets to the next), measure `rounds`
 * windows at that many connections, stop the server, and feed the outcome back to the search.
 */
export async function runCapacitySearch(options: CapacitySearchOptions): Promise<CapacitySearchResult> {
  const { target: spec, settings, slo, progress, signal } = options;
  const rounds = options.rounds ?? 1;
  const fd = ensureFdLimit(options.maxConnections, spec.poolMax);
  progress.log(`[capacity · ${spec.adapter}] ${fd.note}`);
  const searchSettings = {
    startConnections: options.startConnections,
    maxConnections: options.maxConnections,
    fdMaxConnections: fd.maxConnections,
    slo,
    ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
  };
  const outcomes: LevelOutcome[] = [];
  const levels: CapacityLevel[] = [];
  const cells: Cell[] = [];
  const finish = (rest: Pick<CapacitySearchResult, 'heldConnections' | 'firstFailingConnections' | 'stoppedBy' | 'why'> & { error?: string }): CapacitySearchResult => ({
    adapter: spec.adapter,
    poolMax: spec.poolMax,
    via: spec.via,
    scenario: options.scenario,
    slo,
    levels,
    curve: [...levels].sort((a, b) => a.connections - b.connections),
    fd,
    cells,
    ...rest,
  });
  const heldSoFar = () => {
    const held = levels.filter((l) => l.held).map((l) => l.connections);
    return held.length > 0 ? Math.max(...held) : null;
  };

  for (;;) {
    const step = nextStep(outcomes, searchSettings);
    if (step.action === 'stop') {
      const why = `${step.why} (${STOP_REASONS[step.stoppedBy]})`;
      return finish({ heldConnections: step.heldConnections, firstFailingConnections: step.firstFailingConnections, stoppedBy: step.stoppedBy, why });
    }
    if (signal?.aborted) return finish({ heldConnections: heldSoFar(), firstFailingConnections: null, stoppedBy: 'aborted', why: 'interrupted before the search converged' });
    const connections = step.connections;
    const where = `capacity · ${spec.adapter}${spec.via === 'pgbouncer' ? ' via pgbouncer' : ''} · ${connections} conn`;
    const load: LoadSpec = { scenario: options.scenario, connections };
    const levelRounds: Round[] = [];
    try {
      progress.update(`[${where}] ${step.why}; starting server…`);
      const connection = options.connect?.(spec) ?? { databaseUrl: options.databaseUrl };
      const target = await startTarget(spec, connection.databaseUrl, connection.env);
      try {
        for (let round = 1; round <= rounds; round++) {
          const { round: measured } = await measureWindow({
            round, target, spec, load, runner: options.runner, settings, databaseUrl: options.databaseUrl, signal,
            onPhase: (phase, seconds) => progress.update(`[${where}${rounds > 1 ? ` · round ${round}/${rounds}` : ''}] ${phase === 'warmup' ? 'warming up' : 'measuring'} ${seconds} s (${step.why})`),
          });
          if (signal?.aborted) break; // a window cut short by Ctrl-C is not a measurement
          levelRounds.push(measured);
        }
      } finally {
        await target.stop();
      }
    } catch (err) {
      if (signal?.aborted) return finish({ heldConnections: heldSoFar(), firstFailingConnections: null, stoppedBy: 'aborted', why: 'interrupted before the search converged' });
      const message = `${where}: ${(err as Error).message}`;
      return finish({ heldConnections: heldSoFar(), firstFailingConnections: null, stoppedBy: 'error', why: `stopped by an error at ${connections} connections`, error: message });
    }
    if (levelRounds.length < rounds) return finish({ heldConnections: heldSoFar(), firstFailingConnections: null, stoppedBy: 'aborted', why: 'interrupted before the search converged' });
    const level = toLevel(connections, levelRounds, slo, step.why);
    levels.push(level);
    outcomes.push({ connections, errorRate: level.errorRate, p99Ms: level.p99Ms, requestsPerSec: level.requestsPerSec });
    cells.push({
      adapter: spec.adapter,
      scenario: options.scenario,
      tool: options.runner.tool,
      connections,
      poolMax: spec.poolMax,
      rounds: levelRounds,
      summary: summarizeCell(levelRounds),
      metrics: spec.metrics,
      via: spec.via,
      label: `${connections} connections`,
    });
    progress.log(
      `[${where}] ${level.requestsPerSec.toFixed(0)} req/s, p50 ${level.p50Ms.toFixed(2)} ms, p99 ${level.p99Ms.toFixed(2)} ms, ` +
        `errors ${(level.errorRate * 100).toFixed(2)}%, ${level.dbBackends} DB backends: ${level.held ? 'held' : `FAILED (${level.breach})`}${level.generatorBound ? ' [generator-bound]' : ''}`,
    );
  }
}

/** A level's numbers from its rounds: medians for rates and latencies, sums for counts, max for backends. */
export function toLevel(connections: number, rounds: readonly Round[], slo: CapacitySlo, why: string): CapacityLevel {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const errors = rounds.reduce((n, r) => n + r.errors, 0);
  const non2xx = rounds.reduce((n, r) => n + r.non2xx, 0);
  const attempts = requests + errors;
  const waiting = rounds.map((r) => r.poolWaitingMax).filter((w): w is number => w !== null);
  const level = {
    connections,
    requestsPerSec: round3(median(rounds.map((r) => r.requestsPerSec))),
    p50Ms: round3(median(rounds.map((r) => r.latencyUs.p50)) / 1000),
    p99Ms: round3(median(rounds.map((r) => r.latencyUs.p99)) / 1000),
    // No response at all is a failed level, not a perfect one.
    errorRate: attempts > 0 ? round6((errors + non2xx) / attempts) : 1,
    requests,
    errors,
    non2xx,
    dbBackends: Math.max(...rounds.map((r) => r.dbBackends)),
    poolWaitingMax: waiting.length > 0 ? Math.max(...waiting) : null,
    generatorCpuPercent: Math.max(...rounds.map((r) => r.generatorCpuPercent)),
    generatorBound: rounds.some((r) => r.generatorBound),
  };
  const breach = sloBreach({ connections, errorRate: level.errorRate, p99Ms: level.p99Ms, requestsPerSec: level.requestsPerSec }, slo);
  return { ...level, held: breach === null, breach, why };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
