import type { Comparison } from './compare.ts';
import { changeText, estimateText, VERDICT_TEXT } from './format.ts';

/**
 * github-action-benchmark's custom tools (https://github.com/benchmark-action/github-action-benchmark):
 * `customBiggerIsBetter` and `customSmallerIsBetter` each read a JSON array of
 * { name, unit, value, range?, extra? }. The head side's medians; `range` is "± half the 95% interval".
 */
export interface CustomBenchmark {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

export interface GithubBenchmarkFiles {
  biggerIsBetter: CustomBenchmark[];
  smallerIsBetter: CustomBenchmark[];
}

export const GITHUB_BENCHMARK_FILES = {
  biggerIsBetter: 'customBiggerIsBetter.json',
  smallerIsBetter: 'customSmallerIsBetter.json',
} as const;

export function buildGithubBenchmark(c: Comparison): GithubBenchmarkFiles {
  const out: GithubBenchmarkFiles = { biggerIsBetter: [], smallerIsBetter: [] };
  for (const group of c.groups) {
    for (const cell of group.cells) {
      for (const m of cell.metrics) {
        if (m.head === null) continue;
        const entry: CustomBenchmark = {
          name: `${cell.title} · ${m.label}`,
          unit: m.unit,
          value: m.head.median,
          extra: `${VERDICT_TEXT[m.verdict]}: head ${estimateText(m.metric, m.head)} vs base ${estimateText(m.metric, m.base)}, change ${changeText(m)}; ${m.headRounds} rounds`,
        };
        if (m.head.ci95 !== null) entry.range = `± ${Number(((m.head.ci95[1] - m.head.ci95[0]) / 2).toPrecision(3))}`;
        (m.direction === 'bigger-is-better' ? out.biggerIsBetter : out.smallerIsBetter).push(entry);
      }
    }
  }
  return out;
}
