import type { Cell, FailedWindow, Round, Tool } from '../results/types.ts';
import type { TargetFacts } from '../results/target-facts.ts';
import { summarizeCell } from '../stats/summarize.ts';
import { targetCellFields } from '../targets/kinds.ts';
import type { TargetSpec } from '../targets/spec.ts';
import { workersCellFields, workersLabel } from '../targets/workers.ts';
import type { WindowExtras } from '../window/measure.ts';
import { cellKey, cellTitle, type CellFields } from './cell.ts';
import { faultName, type BenchmarkOutcome, type LoadSpec } from './plan.ts';

/**
 * The persisted fields of the cell a (target, load, tool) measures: its identity (schedule/cell.ts
 * reads it) and what it records about the target. A new cell dimension is a row in cell.ts and its
 * source here.
 */
export function cellFieldsOf(target: TargetSpec, load: LoadSpec, tool: Tool, label: string | undefined): CellFields {
  const fault = faultName(load);
  return {
    adapter: target.adapter,
    scenario: load.scenario,
    tool,
    connections: load.connections,
    poolMax: target.poolMax,
    metrics: target.metrics,
    via: target.via,
    ...(label ? { label } : {}),
    ...workersCellFields(target),
    ...(load.thinkTimeMs === undefined ? {} : { thinkTimeMs: load.thinkTimeMs }),
    ...(load.rate === undefined ? {} : { targetRate: load.rate }),
    ...(target.side ? { side: target.side } : {}),
    ...targetCellFields(target),
    ...(fault ? { fault } : {}),
    ...(target.dbLatencyMs === undefined ? {} : { dbLatencyMs: target.dbLatencyMs }),
    ...(target.kind === 'fastapi' && target.fastapi?.threads !== undefined ? { threads: target.fastapi.threads } : {}),
  };
}

/** What labels a plan's cells: the kind's label function (bench/schedule/execute.ts BenchmarkPlan.label). */
interface Labelled {
  label?: (target: TargetSpec, load: LoadSpec) => string | undefined;
}

/** The label of a target's cells: the kind's, and the process count of a multi-process target. */
export function labelOf(plan: Labelled, target: TargetSpec, load: LoadSpec): string | undefined {
  const threads = target.kind === 'fastapi' ? target.fastapi?.threads : undefined;
  return (
    [plan.label?.(target, load), workersLabel(target), threads === undefined ? '' : `${threads} threads`]
      .filter(Boolean)
      .join(' · ') || undefined
  );
}

/** Two targets or loads of one plan that would land in one cell are a bug of the kind's plan: say so before measuring. */
export function assertDistinctCells(
  plan: Labelled & { targets: readonly TargetSpec[]; loads: readonly LoadSpec[] },
  tools: readonly Tool[],
): void {
  const seen = new Map<string, string>();
  for (const target of plan.targets)
    for (const load of plan.loads)
      for (const tool of tools) {
        const fields = cellFieldsOf(target, load, tool, labelOf(plan, target, load));
        const key = cellKey(fields);
        if (seen.has(key))
          throw new Error(`two targets of this plan measure one cell (${cellTitle(fields)}): give them a label`);
        seen.set(key, cellTitle(fields));
      }
}

interface CellRounds {
  fields: CellFields;
  rounds: Round[];
  extras: WindowExtras[];
  facts?: TargetFacts; // what the target said it ran with, at its first start in this cell
}

/** Rounds grouped into cells by their identity (schedule/cell.ts) as they are measured, and failed windows. */
export function createOutcome() {
  const cells = new Map<string, CellRounds>();
  const failedWindows: FailedWindow[] = [];
  return {
    add(fields: CellFields, round: Round, extras: WindowExtras, facts?: TargetFacts): void {
      const key = cellKey(fields);
      const cell = cells.get(key) ?? { fields, rounds: [], extras: [] };
      cell.facts ??= facts;
      cell.rounds.push(round);
      cell.extras.push(extras);
      cells.set(key, cell);
    },
    fail(window: FailedWindow): void {
      failedWindows.push(window);
    },
    snapshot(aborted: boolean): BenchmarkOutcome {
      return {
        cells: [...cells.values()].filter((c) => c.rounds.length > 0).map(toCell),
        aborted,
        ...(failedWindows.length > 0 ? { failedWindows: [...failedWindows] } : {}),
      };
    },
  };
}

function toCell(c: CellRounds): Cell {
  const cell: Cell = {
    ...c.fields,
    ...(c.facts ? { targetFacts: c.facts } : {}),
    rounds: c.rounds,
    summary: summarizeCell(c.rounds),
  };
  if (c.fields.targetRate !== undefined) {
    const dropped = c.extras.reduce((n, e) => n + (e.droppedIterations ?? 0), 0);
    const achieved = c.extras.map((e) => e.achievedRate ?? 0);
    cell.achievedRate = Math.round((achieved.reduce((a, b) => a + b, 0) / Math.max(1, achieved.length)) * 10) / 10;
    cell.droppedIterations = dropped;
    cell.invalidForLatency = dropped > 0;
  }
  if (c.extras.some((e) => e.thresholdsPassed !== undefined))
    cell.sloPassed = c.extras.every((e) => e.thresholdsPassed !== false);
  return cell;
}

/** Windows measured (every round of every cell) or failed so far. */
export function windowsDone(outcome: BenchmarkOutcome): number {
  return outcome.cells.reduce((n, c) => n + c.rounds.length, 0) + (outcome.failedWindows?.length ?? 0);
}

/** Windows of one interleaved schedule (schedule/plan.ts buildSchedule): every load of every target, every round. */
export function plannedWindows(schedule: {
  rounds: number;
  targets: readonly unknown[];
  loads: readonly unknown[];
}): number {
  return schedule.rounds * schedule.targets.length * schedule.loads.length;
}

/** Everything measured so far by several phases (the adr), in order; aborted or stopped if the last one is. */
export function mergeOutcomes(outcomes: readonly BenchmarkOutcome[]): BenchmarkOutcome {
  const failed = outcomes.flatMap((o) => o.failedWindows ?? []);
  const last = outcomes.at(-1);
  return {
    cells: outcomes.flatMap((o) => o.cells),
    aborted: last?.aborted ?? false,
    ...(last?.error ? { error: last.error } : {}),
    ...(failed.length > 0 ? { failedWindows: failed } : {}),
  };
}
