import type { RenderedSection, ReportModel } from '../report/model.ts';
import { buildReportModel } from '../report/model.ts';
import type { ResultKind, Results } from '../results/types.ts';
import { analyzeAdrKind } from './adr/analyze.ts';
import { executeAdrKind } from './adr/execute.ts';
import { adrSection } from './adr/render.ts';
import { analyzeCapacity } from './capacity/analyze.ts';
import { executeCapacity } from './capacity/execute.ts';
import { capacitySection } from './capacity/render.ts';
import { analyzeGate } from './gate/analyze.ts';
import { executeGate } from './gate/execute.ts';
import { gateSection } from './gate/render.ts';
import { analyzeRun } from './run/analyze.ts';
import { executeRun } from './run/execute.ts';
import { runSection } from './run/render.ts';
import { analyzeSweepKind } from './sweep/analyze.ts';
import { executeSweep } from './sweep/execute.ts';
import { sweepSection } from './sweep/render.ts';
import type { Kind, KindSection, PlanBase } from './types.ts';

// Each kind has its own plan, state and analysis types; the table only checks that every kind has the shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind = Kind<any, any, any>;

/**
 * Every command kind, once. Adding a kind: a folder bench/kinds/<kind>/ with plan, execute, analyze
 * and render; its name in RESULT_KINDS (bench/results/types.ts, and the schema's enum); one line here;
 * one CLI file in cli/commands/. `satisfies` makes a kind missing here a type error.
 */
export const KINDS = {
  run: { execute: executeRun, analyze: analyzeRun, section: runSection },
  adr: { execute: executeAdrKind, analyze: analyzeAdrKind, section: adrSection },
  sweep: { execute: executeSweep, analyze: analyzeSweepKind, section: sweepSection },
  capacity: { execute: executeCapacity, analyze: analyzeCapacity, section: capacitySection },
  gate: { execute: executeGate, analyze: analyzeGate, section: gateSection },
} as const satisfies Record<ResultKind, AnyKind>;

/** The kind's own section of a results file, rendered (a file without a kind is a plain run). */
export function renderKindSection(results: Results): RenderedSection | undefined {
  const section = KINDS[results.kind ?? 'run'].section as KindSection<unknown>;
  const stored = results.extra?.[section.key];
  if (stored === undefined) return undefined;
  const analysis = section.read ? section.read(results, stored) : stored;
  return { key: section.key, markdown: section.markdown(analysis), terminal: section.terminal(analysis) };
}

/** The report model of a results file with its kind's section: what every renderer is handed. */
export function reportModelOf(results: Results): ReportModel {
  return buildReportModel(results, renderKindSection(results));
}

export type { Kind, PlanBase };
