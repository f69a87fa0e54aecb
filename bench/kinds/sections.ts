import { analyzeAdr, type AdrAnalysis } from './adr/analyze.ts';
import { renderAdrMarkdown, renderAdrTerminal } from './adr/render.ts';
import { renderCapacityMarkdown, renderCapacityTerminal, type CapacityAnalysis } from './capacity/render.ts';
import { renderMetricsCostMarkdown, renderMetricsCostTerminal, type MetricsCostRow } from './run/analyze.ts';
import type { ResultKind, Results } from '../results/types.ts';
import { renderSweepMarkdown, renderSweepTerminal } from './sweep/render.ts';
import type { SweepAnalysis } from './sweep/analyze.ts';

/**
 * The analysis a command stores in `extra.<key>` and how to render it. Reports (terminal, Markdown,
 * HTML) include it for files of that kind, so re-rendering a file with `jobbench report` keeps it.
 */
export interface KindSection {
  key: string; // the entry of results.extra it renders
  markdown(results: Results): string | undefined;
  terminal(results: Results): string | undefined;
}

function section<A>(
  key: string,
  read: (results: Results, stored: A) => A,
  markdown: (a: A) => string,
  terminal: (a: A) => string,
): KindSection {
  const analysis = (results: Results): A | undefined => {
    const stored = results.extra?.[key] as A | undefined;
    return stored === undefined ? undefined : read(results, stored);
  };
  return {
    key,
    markdown: (results) => {
      const a = analysis(results);
      return a === undefined ? undefined : markdown(a);
    },
    terminal: (results) => {
      const a = analysis(results);
      return a === undefined ? undefined : terminal(a);
    },
  };
}

export const KIND_SECTIONS: Partial<Record<ResultKind, KindSection>> = {
  // jobbench run --metrics both: the cost of Prometheus metrics in server CPU per request.
  run: section<MetricsCostRow[]>('metricsCost', (_r, a) => a, renderMetricsCostMarkdown, renderMetricsCostTerminal),
  // The ADR table is rebuilt from the stored design, cells and searches: the current verdict rules apply.
  adr: section<AdrAnalysis>(
    'adr',
    (r, a) => (a.design ? analyzeAdr(a.design, r.cells, a.capacity ?? []) : a),
    renderAdrMarkdown,
    renderAdrTerminal,
  ),
  sweep: section<SweepAnalysis>('sweep', (_r, a) => a, renderSweepMarkdown, renderSweepTerminal),
  capacity: section<CapacityAnalysis>('capacity', (_r, a) => a, renderCapacityMarkdown, renderCapacityTerminal),
};

/** The kind's section of a results file (a file without a kind is a plain run). */
export function kindSection(results: Results): KindSection | undefined {
  return KIND_SECTIONS[results.kind ?? 'run'];
}
