import type { Comparison, ComparisonGroup } from './compare.ts';
import { compareColumns, groupRounds, shortCommit, sidesLine, unmatchedLines } from './format.ts';
import type { Verdict } from './verdict.ts';

/**
 * Markdown for `$GITHUB_STEP_SUMMARY` and a PR comment: the verdict first, regressions listed, then a
 * collapsible table per scenario and load shape (open when it holds a regression).
 */

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ICON: Record<Verdict, string> = {
  regressed: '❌',
  improved: '🟢',
  unchanged: '✅',
  inconclusive: '❔',
  'n/a': '➖',
};

function table(group: ComparisonGroup): string {
  const columns = compareColumns(groupRounds(group));
  const header = `| ${columns.map((c) => c.header).join(' | ')} |`;
  const rule = `|${columns.map((c) => (c.numeric ? ' --: ' : ' :-- ')).join('|')}|`;
  const rows = group.cells.flatMap((cell) =>
    cell.metrics.map(
      (m) =>
        `| ${columns.map((c, i) => (i === 0 ? `${ICON[m.verdict]} ${c.value(cell.name, m)}` : escapeCell(c.value(cell.name, m)))).join(' | ')} |`,
    ),
  );
  return [header, rule, ...rows].join('\n');
}

function groupSection(group: ComparisonGroup): string {
  const verdicts = group.cells.flatMap((c) => c.metrics.map((m) => m.verdict));
  const counts = (['regressed', 'inconclusive', 'improved', 'unchanged', 'n/a'] as const)
    .map((v) => [v, verdicts.filter((x) => x === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
  const regressed = verdicts.includes('regressed');
  const notes = group.cells.flatMap((c) => c.notes.map((n) => `- ${c.name}: ${n}`));
  return [
    `<details${regressed ? ' open' : ''}><summary>${regressed ? '❌' : '✅'} <b>${escapeCell(group.title)}</b> — ${counts}</summary>`,
    '',
    table(group),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    '</details>',
  ].join('\n');
}

/** `command` names who decided in the heading: "jobbench compare", or "jobbench gate" for a gate's file. */
export function renderCompareMarkdown(c: Comparison, command = 'jobbench compare'): string {
  const title = c.passed ? `## ✅ ${command}: pass (${c.overall})` : `## ❌ ${command}: regressed`;
  const parts = [title, `**${escapeCell(c.headline)}**`, sidesLine(c)];
  if (c.regressions.length > 0)
    parts.push(
      ['### Regressions', ...c.regressions.map((r) => `- **${r.cell}** — ${r.label}: ${r.reason}`)].join('\n'),
    );
  if (c.environment.note) parts.push(`> ${c.environment.advisory ? '**Advisory.** ' : ''}${c.environment.note}`);
  if (c.environment.differences.length > 0) {
    parts.push(
      [
        '| environment | base | head |',
        '| :-- | :-- | :-- |',
        ...c.environment.differences.map((d) => `| ${d.label} | ${escapeCell(d.base)} | ${escapeCell(d.head)} |`),
      ].join('\n'),
    );
  }
  parts.push('### Cells', ...c.groups.map(groupSection));
  const unmatched = unmatchedLines(c);
  if (unmatched.length > 0) parts.push(unmatched.map((l) => `- ${l}`).join('\n'));
  parts.push(
    `<sub>Verdicts: regressed only when the interval of head/base (paired: geometric mean of per-round ratios, t interval from 5 rounds, range below) excludes no change, the Mann–Whitney test agrees (p < 0.05) and the change passes the threshold. base ${shortCommit(c.base.gitCommit)}, head ${shortCommit(c.head.gitCommit)}. How to read this: docs/readme/compare.md.</sub>`,
  );
  return parts.join('\n\n') + '\n';
}
