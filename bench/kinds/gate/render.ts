import { compareGateRun } from '../../compare/compare.ts';
import { renderCompareMarkdown } from '../../compare/render-markdown.ts';
import { renderCompareTerminal, verdictLine } from '../../compare/render-terminal.ts';
import { instructionsLines, instructionsMarkdown } from '../../instructions/render.ts';
import { instructionsPassed, regressedInstructions } from '../../instructions/verdict.ts';
import { PG_STAT_STATEMENTS_HOWTO } from '../../window/probes/queries.ts';
import type { Results } from '../../results/types.ts';
import type { Comparison } from '../../compare/compare.ts';
import { TERMINAL_WIDTH, wrapText } from '../../report/text-table.ts';
import type { KindSection } from '../types.ts';
import type { GateAnalysis } from './analyze.ts';
import type { GateSideState } from './execute.ts';

function sideLine(name: string, s: GateSideState): string {
  if (s.installed === 'external')
    return `${name}: ${s.ref} (a running deployment: not started by jobbench, no server CPU or RSS)`;
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
  if (a.rounds && a.rounds.length > 0) {
    const looks = a.looks ?? 1;
    lines.push(
      `rounds (both sides; up to ${a.maxRounds ?? '?'} per cell, ${looks} look${looks === 1 ? '' : 's'}, each at p < ${Number((0.05 / looks).toPrecision(2))}${a.family === 'holm' ? ", shared by the timed checks (Holm's step-down)" : ''}): ` +
        a.rounds
          .map(
            (r) => `${r.cell} ${r.measured}, ${r.remeasured} measured again after a disturbance, ${r.leftOut} left out`,
          )
          .join('; '),
    );
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
    return {
      ...stored,
      comparison: compareGateRun(results, { thresholds: stored.thresholds, paired: { looks: stored.looks ?? 1 } }),
    };
  } catch (err) {
    return { ...stored, comparison: { error: (err as Error).message } };
  }
}

function comparisonText(a: GateAnalysis, render: (c: Comparison) => string): string {
  if (!a.comparison) return '';
  return 'error' in a.comparison ? `no comparison: ${a.comparison.error}` : render(a.comparison);
}

/**
 * The gate's verdict as the last line of its output: "gate: PASS (…)" or "gate: REGRESSED: …", the
 * instruction counts included (a gate that passed every timed and counted metric but regressed on
 * instructions per request is REGRESSED, and exits 1).
 */
function summary(a: GateAnalysis): string {
  const ins = a.instructions;
  const insRegressed = ins && !instructionsPassed(ins.counts, ins.thresholdPct);
  if (!a.comparison)
    return insRegressed
      ? `gate: REGRESSED: ${regressedInstructions(ins.counts, ins.thresholdPct)}`
      : 'gate: no comparison (nothing measured)';
  if ('error' in a.comparison) return `gate: no comparison: ${a.comparison.error}`;
  if (!insRegressed) return verdictLine(a.comparison, TERMINAL_WIDTH, 'gate: ');
  const rest = verdictLine(a.comparison, TERMINAL_WIDTH, '').replace(/^PASS/, 'otherwise PASS');
  const line = `gate: REGRESSED: ${regressedInstructions(ins.counts, ins.thresholdPct)}; ${rest}`;
  return [...line].length <= TERMINAL_WIDTH
    ? line
    : `gate: REGRESSED: ${regressedInstructions(ins.counts, ins.thresholdPct)}`;
}

/** `jobbench gate`: which revisions ran, then the comparison engine's verdict and tables. */
export const gateSection: KindSection<GateAnalysis> = {
  key: 'gate',
  read,
  summary,
  terminal: (a, width = TERMINAL_WIDTH) =>
    [
      'Gate: base vs head, interleaved in one run',
      ...headerLines(a).map((l) => wrapText(l, width, 2)),
      '',
      comparisonText(a, (c) => renderCompareTerminal(c, width)),
      ...statementsLines(a).map((l) => wrapText(l, width, 2)),
      ...(a.instructions
        ? [
            '',
            ...instructionsLines(a.instructions.counts, a.instructions.thresholdPct).map((l) => wrapText(l, width, 2)),
          ]
        : []),
    ]
      .join('\n')
      .trimEnd(),
  markdown: (a) =>
    [
      '## Gate: base vs head',
      '',
      ...headerLines(a).map((l) => `- ${l}`),
      '',
      comparisonText(a, (c) => renderCompareMarkdown(c, 'jobbench gate')),
      '',
      ...statementsLines(a).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l)),
      ...(a.instructions ? ['', ...instructionsMarkdown(a.instructions.counts, a.instructions.thresholdPct)] : []),
    ].join('\n'),
};
