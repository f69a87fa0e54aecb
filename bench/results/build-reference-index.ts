/** Writes results/README.md from the runs under results/reference/ (`npm run results:index`; `--check` exits 1 when stale). */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadReferenceRuns, renderReferenceIndex } from './reference-index.ts';

const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url));
const index = renderReferenceIndex(await loadReferenceRuns(`${RESULTS}reference`));
const target = `${RESULTS}README.md`;
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== index) {
    process.stderr.write('results/README.md is stale: run npm run results:index\n');
    process.exitCode = 1;
  }
} else {
  await writeFile(target, index);
  process.stderr.write(`wrote ${target}\n`);
}
