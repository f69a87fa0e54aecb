import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Results } from '../results/types.ts';
import { writeFileAtomic } from '../results/write-file-atomic.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { buildReportModel, type ReportModel } from './model.ts';

export const REPORT_FILE_NAME = 'report.md';

/** `report.html` beside a Markdown report: `x.md` -> `x.html`, any other name gets `.html` appended. */
export function htmlReportPath(markdownPath: string): string {
  return markdownPath.endsWith('.md') ? `${markdownPath.slice(0, -'.md'.length)}.html` : `${markdownPath}.html`;
}

/**
 * Writes the Markdown report (default: `report.md` in `dir`, the results file's folder) and the HTML
 * report beside it (`htmlReportPath`), each through a temporary file and a rename, so a reader never
 * sees half a report. Returns the Markdown path written.
 */
export async function writeMarkdownReport(
  results: Results,
  dir: string,
  options: { outPath?: string; model?: ReportModel } = {},
): Promise<string> {
  const path = options.outPath ?? join(dir, REPORT_FILE_NAME);
  const model = options.model ?? buildReportModel(results);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, renderMarkdown(results, model));
  await writeFileAtomic(htmlReportPath(path), renderHtml(results, model));
  return path;
}
