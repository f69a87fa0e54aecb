import { compareGateRun } from '../../compare/compare.ts';
import { renderCompareMarkdown } from '../../compare/render-markdown.ts';
import { renderCompareTerminal } from '../../compare/render-terminal.ts';
import { instructionsLines, instructionsMarkdown } from '../../instructions/render.ts';
import { PG_STAT_STATEMENTS_HOWTO } from '../../window/probes/queries.ts';
import type { Results } from '../../results/types.ts';
import type { KindSection } from '../types.ts';
import type { GateAnalysis } from './analyze.ts';
import type { GateSideState } from './execute.ts';

function sideLine(name: string, s: GateSideState): string {
  const what = s.commit === null ? 'the working tree' : `${s.ref} (${s.commit.slice(0, 12)})`;
  const install = s.installed === 'working tree' ? '' : `, installed by ${s.installed}`;
  return `${name}: ${what}${install}, ${s.migrations.length} migrations (${s.migrations.join(', ') || 'none'})`;
}

function headerLines(a: GateAnalysis): string[] {
  const lines = [sideLine('base', a.sides.base), sideLine('head', a.sides.head)];
  for (const s of a.serverSettings) {
    const env = Object.entries(s.env).map(([k, v]) => `${k}=${v}`);
    if (s.poolMax !== undefined) env.push(`pool max ${s.poolMax} (its cells still read the shared pool max)`);
    lines.push(`${s.side} servers only: ${env.join(', ')}`);
  }
  return lines;
}

function statementsLines(a: GateAnalysis): string[] {
  if (a.statements.length === 0) return [];
  if (a.statements.every((r) => r.pgStatementsPerRequest === null))
    return [`SQL statements/request (pg_stat_statements): ${PG_STAT_STATEMENTS_HOWTO}`];
  return [
    'SQL statements/request (pg_stat_statements, median over rounds):',
    ...a.statements.map(
      (r) =>
        `  ${r.adapter} · ${r.scenario} · ${r.connections} conn · ${r.side}: ${r.pgStatementsPerRequest === null ? 'n/a' : r.pgStatementsPerRequest.toFixed(3)}`,
    ),
  ];
}

/** The comparison is rebuilt from the file's cells on every read, so a re-render applies the current engine. */
function read(results: Results, stored: GateAnalysis): GateAnalysis {
  try {
    return { ...stored, comparison: compareGateRun(results, { thresholds: stored.thresholds }) };
  } catch (err) {
    return { ...stored, comparison: { error: (err as Error).message } };
  }
}

function comparisonText(a: GateAnalysis, render: typeof renderCompareTerminal): string {
  if (!a.comparison) return '';
  return 'error' in a.comparison ? `no comparison: ${a.comparison.error}` : render(a.comparison);
}

/** `jobbench gate`: which revisions ran, then the comparison engine's verdict and tables. */
export const gateSection: KindSection<GateAnalysis> = {
  key: 'gate',
  read,
  terminal: (a) =>
    [
      'Gate: base vs head, interleaved in one run',
      ...headerLines(a),
      '',
      comparisonText(a, renderCompareTerminal),
      ...statementsLines(a),
      ...(a.instructions ? ['', ...instructionsLines(a.instructions.counts, a.instructions.thresholdPct)] : []),
    ]
      .join('\n')
      .trimEnd(),
  markdown: (a) =>
    [
      '## Gate: base vs head',
      '',
      ...headerLines(a).map((l) => `- ${l}`),
      '',
      comparisonText(a, renderCompareMarkdown),
      '',
      ...statementsLines(a).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l)),
      ...(a.instructions ? ['', ...instructionsMarkdown(a.instructions.counts, a.instructions.thresholdPct)] : []),
    ].join('\n'),
};
