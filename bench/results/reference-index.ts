import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResults, RESULTS_FILE_NAME } from './io.ts';
import type { Results } from './types.ts';

export interface ReferenceRun {
  dir: string; // relative to results/reference/
  results: Results;
  caveat?: string; // results/reference/<name>/caveat.txt: how to read a run that is disturbed, superseded or partial
}

export const CAVEAT_FILE = 'caveat.txt';

/** Every committed reference run under `root` (results/reference/<name>/results.json), oldest first. */
export async function loadReferenceRuns(root: string): Promise<ReferenceRun[]> {
  const names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  const runs: ReferenceRun[] = [];
  for (const dir of names) {
    const path = join(root, dir, RESULTS_FILE_NAME);
    const caveat = await readFile(join(root, dir, CAVEAT_FILE), 'utf8').then(
      (text) => text.trim().replace(/\s+/g, ' '),
      () => undefined,
    );
    runs.push({ dir, results: parseResults(await readFile(path, 'utf8'), path), ...(caveat ? { caveat } : {}) });
  }
  return runs.sort((a, b) => a.results.startedAt.localeCompare(b.results.startedAt) || a.dir.localeCompare(b.dir));
}

const GIB = 1024 ** 3;

const cellText = (caveat: string | undefined): string => (caveat ?? '').replace(/\|/g, '\\|');

/** results/README.md: one row per reference run, with what it ran and where. Pure. */
export function renderReferenceIndex(runs: readonly ReferenceRun[]): string {
  const lines = [
    '# Reference runs',
    '',
    'Real runs committed as evidence, each with its environment. Absolute numbers hold only for the',
    'machine that made them; compare within a run (ratios with their intervals; below 5 rounds an interval',
    'is a range). A run that must be read with care says why in its `caveat.txt` (shown here). Regenerate',
    'this index with `npm run results:index` after adding a run under `results/reference/<name>/`.',
    '',
    '| run | kind | status | started (UTC) | machine | PostgreSQL | command | read with care |',
    '| :-- | :-- | :-- | :-- | :-- | :-- | :-- | :-- |',
  ];
  for (const { dir, results: r, caveat } of runs) {
    const env = r.environment;
    const machine = `${env.cpus} × ${env.cpuModel}, ${(env.memoryBytes / GIB).toFixed(0)} GiB, Node ${env.node}`;
    const started = r.startedAt.replace('T', ' ').slice(0, 16);
    const command = '`' + r.command.join(' ').replace(/\|/g, '\\|') + '`';
    lines.push(`| [${dir}](reference/${dir}/report.md) | ${r.kind ?? 'run'} | ${r.status} | ${started} | ${machine} | ${env.postgres.split(' ')[0]} | ${command} | ${cellText(caveat)} |`);
  }
  if (runs.length === 0) lines.push('| (none yet) | | | | | | | |');
  return lines.join('\n') + '\n';
}
