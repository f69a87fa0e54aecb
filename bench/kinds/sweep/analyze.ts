import type { Cell } from '../../results/types.ts';
import type { ProbedWindow } from '../../window/probes/db-time.ts';
import { machineContext } from './machine.ts';
import type { SweepPlan } from './plan.ts';
import {
  recommendPool,
  type MachineContext,
  type Recommendation,
  type SweepCriteria,
  type SweepPoint,
} from './recommend.ts';

/** One curve: an adapter under one scenario and load, across pool sizes. */
/** What the sweep's analysis needs besides the cells. */
export interface SweepState {
  probes: ProbedWindow[]; // DB time per window, read from the server's metrics
  pgbouncer?: SweepAnalysis['pgbouncer'];
  databaseUrl: string; // where PostgreSQL runs decides the cores rule of thumb
}

export interface SweepGroup {
  adapter: string;
  scenario: string;
  connections: number;
  rate?: number;
  via: string;
  recommendation: Recommendation;
}

/** What `jobbench sweep` stores in results.extra.sweep (the report renders from it alone). */
export interface SweepAnalysis {
  criteria: SweepCriteria;
  machine: MachineContext;
  pgbouncer?: { version: string; poolSize: number; preparedStatements: boolean };
  groups: SweepGroup[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** A cell's point on its curve, with the probe's DB time per request (median over its rounds). */
export function toPoint(cell: Cell, probes: readonly ProbedWindow[]): SweepPoint {
  const rounds = cell.rounds;
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const failed = rounds.reduce((n, r) => n + r.errors + r.non2xx, 0);
  const attempts = requests + rounds.reduce((n, r) => n + r.errors, 0);
  const waiting = rounds.map((r) => r.poolWaitingMax).filter((w): w is number => w !== null);
  const mine = probes.filter(
    (p) =>
      p.adapter === cell.adapter &&
      p.poolMax === cell.poolMax &&
      p.via === (cell.via ?? 'direct') &&
      p.scenario === cell.scenario &&
      p.connections === cell.connections &&
      (p.rate ?? null) === (cell.targetRate ?? null),
  );
  const dbTime = median(mine.map((p) => p.dbTimeUsPerCall).filter((v): v is number => v !== null));
  const bouncer = mine.map((p) => p.pgbouncer).filter((b) => b !== undefined);
  return {
    poolMax: cell.poolMax,
    requestsPerSec: cell.summary.requestsPerSec.median,
    requestsPerSecCi95: cell.summary.requestsPerSec.ci95,
    p50Ms: round3(cell.summary.latencyUs.p50.median / 1000),
    p99Ms: round3(cell.summary.latencyUs.p99.median / 1000),
    errorRate: attempts > 0 ? Math.round((failed / attempts) * 1e6) / 1e6 : 1,
    poolWaitingMax: waiting.length > 0 ? Math.max(...waiting) : null,
    dbBackends: Math.max(0, ...rounds.map((r) => r.dbBackends)),
    cpuUsPerRequest: cell.summary.serverCpuUsPerRequest?.median ?? 0, // sweeps start their targets: always measured
    dbTimeUsPerRequest: dbTime === null ? null : Math.round(dbTime * 10) / 10,
    generatorBound: rounds.some((r) => r.generatorBound),
    connections: cell.connections,
    ...(cell.targetRate === undefined ? {} : { rate: cell.targetRate }),
    ...(bouncer.length > 0
      ? {
          pgbouncer: {
            svActiveMax: Math.max(...bouncer.map((b) => b.svActiveMax)),
            svTotalMax: Math.max(...bouncer.map((b) => b.svTotalMax)),
            clWaitingMax: Math.max(...bouncer.map((b) => b.clWaitingMax)),
            maxWaitMsMax: Math.max(...bouncer.map((b) => b.maxWaitMsMax)),
          },
        }
      : {}),
  };
}

/** Groups the sweep's cells into curves (one per adapter, scenario and load) and recommends a pool for each. */
export function analyzeSweep(
  cells: readonly Cell[],
  probes: readonly ProbedWindow[],
  criteria: SweepCriteria,
  machine: MachineContext,
  pgbouncer?: SweepAnalysis['pgbouncer'],
): SweepAnalysis {
  const groups = new Map<
    string,
    { adapter: string; scenario: string; connections: number; rate?: number; via: string; cells: Cell[] }
  >();
  for (const cell of cells) {
    const key = JSON.stringify([
      cell.adapter,
      cell.scenario,
      cell.connections,
      cell.targetRate ?? null,
      cell.via ?? 'direct',
    ]);
    const group = groups.get(key) ?? {
      adapter: cell.adapter,
      scenario: cell.scenario,
      connections: cell.connections,
      ...(cell.targetRate === undefined ? {} : { rate: cell.targetRate }),
      via: cell.via ?? 'direct',
      cells: [],
    };
    group.cells.push(cell);
    groups.set(key, group);
  }
  return {
    criteria,
    machine,
    ...(pgbouncer ? { pgbouncer } : {}),
    groups: [...groups.values()].map(({ cells: groupCells, ...g }) => ({
      ...g,
      recommendation: recommendPool(
        groupCells.map((c) => toPoint(c, probes)),
        criteria,
        machine,
      ),
    })),
  };
}

/** The sweep kind's analysis: one recommendation per curve. */
export function analyzeSweepKind(plan: SweepPlan, cells: readonly Cell[], state: SweepState): SweepAnalysis {
  return analyzeSweep(
    cells,
    state.probes,
    plan.criteria,
    machineContext(state.databaseUrl, plan.jobs),
    state.pgbouncer,
  );
}
