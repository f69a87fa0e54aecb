import type { RenderedSection, ReportModel } from '../report/model.ts';
import { buildReportModel } from '../report/model.ts';
import { incompleteNote } from '../report/partial.ts';
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
export function renderKindSection(results: Results, width?: number): RenderedSection | undefined {
  const kind = results.kind ?? 'run';
  const section = KINDS[kind].section as KindSection<unknown>;
  const stored = results.extra?.[section.key];
  const note = incompleteNote(results);
  if (note === undefined) return stored === undefined ? undefined : renderStored(results, section, stored, width);
  // A partial file (running, aborted): the section says so, or why it is not there; a plain run has none.
  const missing = (why: string): RenderedSection => ({
    key: section.key,
    markdown: `## ${kind}: partial\n\nThe ${kind} analysis ${why} (${note}).\n`,
    terminal: `${kind}: the analysis ${why} (${note}).`,
  });
  if (stored === undefined) return kind === 'run' ? undefined : missing('is not in this file yet');
  try {
    const rendered = renderStored(results, section, stored, width);
    const head = `PARTIAL: computed from the windows measured so far (${note}); ${results.status === 'running' ? 'it may change when the run completes' : 'the run stopped before the rest was measured'}.`;
    // After the section's own heading, so that the note sits in the section it qualifies.
    const [first, ...rest] = rendered.markdown.split('\n');
    const markdown = first!.startsWith('#')
      ? [first, '', `> **${head}**`, ...rest].join('\n')
      : `> **${head}**\n\n${rendered.markdown}`;
    return { ...rendered, markdown, terminal: `${head}\n${rendered.terminal}` };
  } catch (err) {
    // analyze() and the renderers are written for whole runs; part of one must still give a report.
    return missing(`cannot be rendered from this partial file: ${(err as Error).message}`);
  }
}

function renderStored(
  results: Results,
  section: KindSection<unknown>,
  stored: unknown,
  width?: number,
): RenderedSection {
  const analysis = section.read ? section.read(results, stored) : stored;
  const html = section.html?.(analysis);
  const summary = section.summary?.(analysis);
  return {
    key: section.key,
    markdown: section.markdown(analysis),
    terminal: section.terminal(analysis, width),
    ...(html ? { html } : {}),
    ...(summary ? { summary } : {}),
  };
}

/** The report model of a results file with its kind's section: what every renderer is handed. */
export function reportModelOf(results: Results, width?: number): ReportModel {
  return buildReportModel(results, renderKindSection(results, width));
}

export type { Kind, PlanBase };
