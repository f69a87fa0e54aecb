import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Results } from '../results/types.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportModel } from './model.ts';

export const REPORT_FILE_NAME = 'report.md';

/**
 * Writes the Markdown report (default: `report.md` in `dir`, the results file's folder) through a
 * temporary file and a rename, so a reader never sees half a report. Returns the path written.
 */
export async function writeMarkdownReport(results: Results, dir: string, options: { outPath?: string; model?: ReportModel } = {}): Promise<string> {
  const path = options.outPath ?? join(dir, REPORT_FILE_NAME);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, renderMarkdown(results, options.model), 'utf8');
  await rename(tmp, path);
  return path;
}
