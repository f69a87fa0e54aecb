import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compareGateRun, compareResults, CompareInputError, type Comparison } from '../../bench/compare/compare.ts';
import { hasSides } from '../../bench/compare/identity.ts';
import { renderCompareBmf } from '../../bench/compare/render-bmf.ts';
import { buildGithubBenchmark, GITHUB_BENCHMARK_FILES } from '../../bench/compare/render-github-benchmark.ts';
import { renderCompareHtml } from '../../bench/compare/render-html.ts';
import { renderCompareJunit } from '../../bench/compare/render-junit.ts';
import { renderCompareMarkdown } from '../../bench/compare/render-markdown.ts';
import { renderCompareTerminal, verdictLine } from '../../bench/compare/render-terminal.ts';
import { TERMINAL_WIDTH } from '../../bench/report/text-table.ts';
import { resolveThresholds, ThresholdsError } from '../../bench/compare/thresholds.ts';
import { readResults, ResultsFileError } from '../../bench/results/io.ts';
import { parse } from '../args.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import { COMPARE_OUTPUT_FLAGS, readThresholdsConfig } from '../compare-config.ts';

const help = `Usage: jobbench compare <base.json> <head.json> [options]
       jobbench compare <gate-results.json> [options]

Compares two results files (or the base and head sides of one gate run) cell by cell: cells match by
adapter, scenario, load shape, tool, via, metrics mode, pool size and label. Per cell × metric (req/s,
p50, p99, server CPU/request, errors, peak RSS, queries/request) it prints the head/base ratio of the
medians with a 95% bootstrap interval, a Mann–Whitney rank test and a verdict: regressed, improved,
unchanged, inconclusive (with the rounds that would resolve it) or n/a. Regressed needs all three: the
interval excludes no change, p < 0.05, and the change passes the metric's threshold.

Options:
  --json                 print the comparison model as JSON on stdout instead of the tables
  --wide                 one line per table row, however wide (default: fit 120 columns, the widest
                         columns moved under each table)
  --markdown FILE        write Markdown (for $GITHUB_STEP_SUMMARY or a PR comment)
  --junit FILE           write JUnit XML: one testcase per cell × metric, a failure per regression
  --bmf FILE             write Bencher Metric Format JSON (head medians with their intervals)
  --github-benchmark DIR write ${GITHUB_BENCHMARK_FILES.biggerIsBetter} and ${GITHUB_BENCHMARK_FILES.smallerIsBetter}
                         for github-action-benchmark
  --html FILE            write an HTML page: base vs head bars per metric, latency percentile spectrum
  --threshold METRIC=PCT practical threshold in % of the base, repeatable (METRIC: rps, p50, p99, cpu,
                         errors, rss, queries, or the full ids); beats the config file
  --config FILE          thresholds config (default: ./jobbench.config.json, else package.json#jobbench),
                         key gate.thresholds, per metric, with gate.thresholds.scenarios.<name> overrides
  -h, --help             show this help

Examples:
  jobbench compare results/base/results.json results/head/results.json
  jobbench compare base.json head.json --threshold p99=15 --threshold cpu=3 --junit perf.xml
  jobbench compare gate/results.json --markdown "$GITHUB_STEP_SUMMARY" --html compare.html

Exit codes: 0 no regression; 1 at least one cell × metric regressed (the cells are named);
2 bad input: a file missing, empty, truncated or breaking the results schema, no cell in common,
a bad threshold or config file, or bad options. A compare never passes on bad input.
Details: docs/readme/compare.md.`;

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

export async function writeOutputs(
  c: Comparison,
  values: Record<string, unknown>,
  command = 'jobbench compare',
): Promise<string[]> {
  const written: string[] = [];
  const out = async (path: unknown, render: () => string) => {
    if (typeof path !== 'string') return;
    await writeAtomic(path, render());
    written.push(path);
  };
  await out(values['markdown'], () => renderCompareMarkdown(c, command));
  await out(values['junit'], () => renderCompareJunit(c));
  await out(values['bmf'], () => renderCompareBmf(c));
  await out(values['html'], () => renderCompareHtml(c));
  if (typeof values['github-benchmark'] === 'string') {
    const files = buildGithubBenchmark(c);
    for (const [key, name] of Object.entries(GITHUB_BENCHMARK_FILES))
      await out(
        join(values['github-benchmark'], name),
        () => JSON.stringify(files[key as keyof typeof files], null, 2) + '\n',
      );
  }
  return written;
}

const oneLine = (text: string) => text.replace(/\n\s*/g, '; ');

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  json: { type: 'boolean' },
  wide: { type: 'boolean' },
  ...COMPARE_OUTPUT_FLAGS,
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'compare',
  summary: 'Compare two results files (or both sides of a gate run): verdict per cell × metric',
  help,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, true);
    if (positionals.length < 1 || positionals.length > 2)
      throw new UsageError(
        `expected <base.json> <head.json> (or one gate results file), got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
      );
    for (const flag of ['markdown', 'junit', 'bmf', 'github-benchmark', 'html', 'config'] as const)
      if (values[flag] === '') throw new UsageError(`--${flag} needs a path`);

    let comparison: Comparison;
    try {
      const thresholds = resolveThresholds(await readThresholdsConfig(values.config), values.threshold ?? []);
      const files = await Promise.all(positionals.map((p) => readResults(p)));
      if (files.length === 1) {
        if (!hasSides(files[0]!))
          throw new CompareInputError(
            `${positionals[0]} has no base/head sides: give two results files (base, then head)`,
          );
        comparison = compareGateRun(files[0]!, { thresholds });
      } else comparison = compareResults(files[0]!, files[1]!, { thresholds });
    } catch (err) {
      if (!(err instanceof ResultsFileError || err instanceof CompareInputError || err instanceof ThresholdsError))
        throw err;
      process.stderr.write(`jobbench compare: ${oneLine(err.message)}\n`);
      return EXIT.badInput;
    }

    let written: string[];
    try {
      written = await writeOutputs(comparison, values);
    } catch (err) {
      process.stderr.write(`jobbench compare: cannot write an output: ${(err as Error).message}\n`);
      return EXIT.badInput;
    }
    const width = values.wide ? Number.POSITIVE_INFINITY : TERMINAL_WIDTH;
    // The verdict again as the last line: the answer without scrolling back over the tables.
    process.stdout.write(
      values.json
        ? JSON.stringify(comparison, null, 2) + '\n'
        : `${renderCompareTerminal(comparison, width)}\n${verdictLine(comparison, width)}\n`,
    );
    for (const path of written) process.stderr.write(`written: ${path}\n`);
    return comparison.passed ? EXIT.ok : EXIT.gateFailed;
  },
};
