import type { Cell, Round } from '../results/types.ts';
import { summarizeCell } from '../stats/summarize.ts';
import type { TargetSpec } from '../targets/spec.ts';
import { workersCellFields } from '../targets/workers.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { ensureFdLimit, type FdReport } from '../host/fd-limit.ts';
import { toLevel, type CapacityLevel } from './level.ts';
import { measureLevel, unit, type LevelOptions } from './measure-level.ts';
import { nextStep, STOP_REASONS, type CapacitySlo, type LevelOutcome, type StopReason } from './search.ts';

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
  stoppedBy: StopReason | 'error' | 'aborted' | 'running'; // running: a partial results file, the search goes on
  why: string;
  fd: FdReport;
  cells: Cell[]; // one per level, for the results file
  thinkTimeMs?: number; // set: the levels are concurrent users (k6 VUs) sleeping this long between requests
  error?: string;
}

export interface CapacitySearchOptions extends LevelOptions {
  target: TargetSpec;
  slo: CapacitySlo;
  maxConnections: number;
  startConnections: number;
  resolution?: number; // see search.ts
  /** After every level: every search as it stands (those still searching with stoppedBy "running"), for partial results. */
  onLevel?: (searches: CapacitySearchResult[]) => Promise<void>;
}

type Ending = Pick<CapacitySearchResult, 'heldConnections' | 'firstFailingConnections' | 'stoppedBy' | 'why'> & {
  error?: string;
};

/** The state of one target's search between levels. */
function createSearch(spec: TargetSpec, options: Omit<CapacitySearchOptions, 'target'>, fd: FdReport) {
  const settings = {
    startConnections: options.startConnections,
    maxConnections: options.maxConnections,
    fdMaxConnections: fd.maxConnections,
    slo: options.slo,
    ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
  };
  const outcomes: LevelOutcome[] = [];
  const levels: CapacityLevel[] = [];
  const cells: Cell[] = [];
  let result: CapacitySearchResult | undefined;
  const heldSoFar = () => {
    const held = levels.filter((l) => l.held).map((l) => l.connections);
    return held.length > 0 ? Math.max(...held) : null;
  };
  const resultOf = (ending: Ending): CapacitySearchResult => ({
    adapter: spec.adapter,
    poolMax: spec.poolMax,
    via: spec.via,
    scenario: options.scenario,
    slo: options.slo,
    levels,
    curve: [...levels].sort((a, b) => a.connections - b.connections),
    fd,
    cells,
    ...(options.thinkTimeMs === undefined ? {} : { thinkTimeMs: options.thinkTimeMs }),
    ...ending,
  });
  const end = (ending: Ending) => {
    result = resultOf(ending);
  };
  return {
    spec,
    get result() {
      return result;
    },
    /** The result, or what the search has found so far while it goes on (copies: the search keeps growing). */
    snapshot(): CapacitySearchResult {
      if (result) return result;
      const running = resultOf({
        heldConnections: heldSoFar(),
        firstFailingConnections: null,
        stoppedBy: 'running',
        why: `still searching after ${levels.length} level${levels.length === 1 ? '' : 's'}`,
      });
      return { ...running, levels: [...levels], cells: [...cells] };
    },
    /** The next level to measure, or undefined once the search has stopped (then `result` is set). */
    next(): { connections: number; why: string } | undefined {
      const step = nextStep(outcomes, settings);
      if (step.action === 'measure') return step;
      end({
        heldConnections: step.heldConnections,
        firstFailingConnections: step.firstFailingConnections,
        stoppedBy: step.stoppedBy,
        why: `${step.why} (${STOP_REASONS[step.stoppedBy]})`,
      });
      return undefined;
    },
    record(level: CapacityLevel, rounds: Round[]) {
      levels.push(level);
      outcomes.push({
        connections: level.connections,
        errorRate: level.errorRate,
        p99Ms: level.p99Ms,
        requestsPerSec: level.requestsPerSec,
      });
      cells.push({
        adapter: spec.adapter,
        scenario: options.scenario,
        tool: options.runner.tool,
        connections: level.connections,
        poolMax: spec.poolMax,
        rounds,
        summary: summarizeCell(rounds),
        metrics: spec.metrics,
        via: spec.via,
        label: `${level.connections} ${unit(options)}`,
        ...workersCellFields(spec),
        ...(options.thinkTimeMs === undefined ? {} : { thinkTimeMs: options.thinkTimeMs }),
      });
    },
    abort() {
      end({
        heldConnections: heldSoFar(),
        firstFailingConnections: null,
        stoppedBy: 'aborted',
        why: 'interrupted before the search converged',
      });
    },
    fail(connections: number, message: string) {
      end({
        heldConnections: heldSoFar(),
        firstFailingConnections: null,
        stoppedBy: 'error',
        why: `stopped by an error at ${connections} connections`,
        error: message,
      });
    },
  };
}

/**
 * Runs the capacity searches of several targets interleaved (DESIGN.md, rule 3): in each turn, every
 * target whose search has not stopped measures its next level, in an order rotated by one each turn,
 * so that machine drift hits every target alike even though their searches try different levels.
 */
export async function runCapacitySearches(
  options: Omit<CapacitySearchOptions, 'target'> & { targets: TargetSpec[] },
): Promise<CapacitySearchResult[]> {
  const { progress, signal } = options;
  const searches = options.targets.map((spec) =>
    createSearch(spec, options, ensureFdLimit(options.maxConnections, spec.poolMax)),
  );
  const fd = ensureFdLimit(options.maxConnections, Math.max(1, ...options.targets.map((t) => t.poolMax)));
  progress.log(`[capacity] ${fd.note}`);
  for (let turn = 0; searches.some((s) => !s.result); turn++) {
    const active = searches.filter((s) => !s.result);
    const rotated = active.map((_, i) => active[(i + turn) % active.length]!);
    for (const search of rotated) {
      if (signal?.aborted) {
        search.abort();
        continue;
      }
      const step = search.next();
      if (!step) {
        progress.log(
          `[capacity · ${search.spec.adapter}] ${search.result!.heldConnections === null ? 'no level held' : `held ${search.result!.heldConnections} connections`}: ${search.result!.why}`,
        );
        continue;
      }
      const label = options.targets.length > 1 ? ` · turn ${turn + 1}` : '';
      let rounds: Round[] | null;
      try {
        rounds = await measureLevel(search.spec, step.connections, step.why, options, label);
      } catch (err) {
        if (signal?.aborted) {
          search.abort();
          continue;
        }
        search.fail(
          step.connections,
          `capacity · ${search.spec.adapter} · ${step.connections} conn: ${(err as Error).message}`,
        );
        progress.log(`[capacity · ${search.spec.adapter}] stopped: ${search.result!.error}`);
        continue;
      }
      if (rounds === null) {
        search.abort();
        continue;
      }
      const level = toLevel(step.connections, rounds, options.slo, step.why);
      search.record(level, rounds);
      progress.log(
        `[capacity${label} · ${search.spec.adapter} · ${level.connections} ${unit(options)}] ${level.requestsPerSec.toFixed(0)} req/s, p50 ${level.p50Ms.toFixed(2)} ms, p99 ${level.p99Ms.toFixed(2)} ms, ` +
          `errors ${(level.errorRate * 100).toFixed(2)}%, ${level.dbBackends} DB backends: ${level.held ? 'held' : `FAILED (${level.breach})`}${level.generatorBound ? ' [generator-bound]' : ''}`,
      );
      await options.onLevel?.(searches.map((s) => s.snapshot()));
    }
  }
  return searches.map((s) => s.result!);
}

/** The capacity search of one target (see runCapacitySearches). */
export async function runCapacitySearch(options: CapacitySearchOptions): Promise<CapacitySearchResult> {
  const { target, ...rest } = options;
  const [result] = await runCapacitySearches({ ...rest, targets: [target] });
  return result!;
}
