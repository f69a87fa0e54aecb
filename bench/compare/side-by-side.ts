import type { Results } from '../results/types.ts';
import { compareResults, type Comparison, type CompareOptions } from './compare.ts';
import { changeText, estimateText } from './format.ts';

/**
 * `jobbench report a.json b.json …`: several runs side by side for readers, each compared with the
 * first by the same engine as `jobbench compare`. Rows are cell × metric; each later run's column
 * shows its median, the change vs the first run and the verdict.
 */
export interface SideBySide {
  runs: { runId: string; gitCommit: string | null }[];
  comparisons: Comparison[]; // runs[i + 1] vs runs[0]
}

export function buildSideBySide(runs: readonly Results[], options: CompareOptions = {}): SideBySide {
  if (runs.length < 2) throw new RangeError('buildSideBySide: needs at least two runs');
  return {
    runs: runs.map((r) => ({ runId: r.runId, gitCommit: r.environment.gitCommit })),
    comparisons: runs.slice(1).map((r) => compareResults(runs[0]!, r, options)),
  };
}

export function renderSideBySideTerminal(s: SideBySide): string {
  const header = ['cell', 'metric', s.runs[0]!.runId, ...s.runs.slice(1).map((r) => `${r.runId} (vs first)`)];
  const rows = new Map<string, string[]>();
  const order: string[] = [];
  s.comparisons.forEach((c, i) => {
    for (const group of c.groups)
      for (const cell of group.cells)
        for (const m of cell.metrics) {
          const key = `${cell.key}\u0000${m.metric}`;
          if (!rows.has(key)) {
            rows.set(key, [cell.title, m.label, estimateText(m.metric, m.base), ...s.comparisons.map(() => '–')]);
            order.push(key);
          }
          rows.get(key)![3 + i] = `${estimateText(m.metric, m.head)} ${changeText(m)} ${m.verdict}`;
        }
  });
  const grid = [header, ...order.map((k) => rows.get(k)!)];
  const widths = header.map((_, i) => Math.max(...grid.map((r) => r[i]!.length)));
  const lines = grid.map((r) =>
    r
      .map((t, i) => t.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = s.comparisons.flatMap((c) => (c.environment.note ? [`${c.head.runId}: ${c.environment.note}`] : []));
  return (
    [`${s.runs.length} runs side by side, each compared with ${s.runs[0]!.runId}`, lines.join('\n'), ...notes].join(
      '\n\n',
    ) + '\n'
  );
}
