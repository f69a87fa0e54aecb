import { dirname } from 'node:path';
import { CompareInputError } from '../../bench/compare/compare.ts';
import { buildSideBySide, renderSideBySideTerminal } from '../../bench/compare/side-by-side.ts';
import { reportModelOf } from '../../bench/kinds/index.ts';
import { renderTerminal, summaryLine } from '../../bench/report/terminal.ts';
import { TERMINAL_WIDTH } from '../../bench/report/text-table.ts';
import { htmlReportPath, writeMarkdownReport } from '../../bench/report/write.ts';
import { readResults, ResultsFileError } from '../../bench/results/io.ts';
import { parse } from '../args.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';

const help = `Usage: jobbench report <results.json> [--out FILE] [--json] [--wide]
       jobbench report <a.json> <b.json> [more.json …] [--json]

Re-renders the report of a finished (or aborted) run from its results file, without re-running
anything: validates the file against the results schema, rewrites report.md and report.html beside
it, and prints the terminal tables (one per scenario and load shape, adapters slowest first).

With several files, prints the runs side by side instead (each compared with the first by the
engine of \`jobbench compare\`: medians, change with its interval, verdict) and writes nothing.

Options:
  --out FILE   write the Markdown report to FILE instead of report.md beside results.json, and
               the HTML report beside FILE (FILE with .md replaced by .html, else FILE.html)
  --json       print the computed tables (medians, intervals, ratios to the slowest, flags) as JSON
               on stdout instead of the text tables
  --wide       one line per table row, however wide (default: fit 120 columns, the widest columns
               moved under each table)
  -h, --help   show this help

Exit codes: 0 ok; 2 the file is missing, not JSON, truncated, or does not match the schema
(the message names the field), or bad options.`;

/** Several runs side by side (same engine as jobbench compare); one file keeps the single-run report. */
async function sideBySide(paths: string[], values: { out?: string; json?: boolean }): Promise<number> {
  if (values.out !== undefined)
    throw new UsageError('--out applies to one results file; several are shown side by side');
  try {
    const model = buildSideBySide(await Promise.all(paths.map((p) => readResults(p))));
    process.stdout.write(values.json ? JSON.stringify(model, null, 2) + '\n' : renderSideBySideTerminal(model));
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof ResultsFileError || err instanceof CompareInputError)) throw err;
    process.stderr.write(`jobbench report: ${err.message}\n`);
    return EXIT.badInput;
  }
}

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  out: { type: 'string' },
  json: { type: 'boolean' },
  wide: { type: 'boolean' },
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'report',
  summary: 'Re-render the tables, report.md and report.html of a run from its results.json',
  help,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, true);
    if (positionals.length > 1) return sideBySide(positionals, values);
    if (positionals.length !== 1)
      throw new UsageError(
        `expected one results file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
      );
    const resultsPath = positionals[0]!;
    if (values.out === '') throw new UsageError('--out needs a file path');

    let results;
    try {
      results = await readResults(resultsPath);
    } catch (err) {
      if (!(err instanceof ResultsFileError)) throw err;
      process.stderr.write(`jobbench report: ${err.message}\n`);
      return EXIT.badInput;
    }

    const model = reportModelOf(results);
    let reportPath: string;
    try {
      reportPath = await writeMarkdownReport(results, dirname(resultsPath), { outPath: values.out, model });
    } catch (err) {
      process.stderr.write(`jobbench report: cannot write the report: ${(err as Error).message}\n`);
      return EXIT.badInput;
    }

    if (values.json)
      process.stdout.write(
        JSON.stringify({ ...model, resultsPath, reportPath, htmlReportPath: htmlReportPath(reportPath) }, null, 2) +
          '\n',
      );
    else {
      const width = values.wide ? Number.POSITIVE_INFINITY : TERMINAL_WIDTH;
      process.stdout.write(`${renderTerminal(results, reportModelOf(results, width), width)}\n${summaryLine(model)}\n`);
    }
    process.stderr.write(`report written to ${reportPath}\nhtml report written to ${htmlReportPath(reportPath)}\n`);
    return EXIT.ok;
  },
};
