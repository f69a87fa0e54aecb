/** Writes bench/results/schema.json from the TypeBox types (`npm run schema`; `--check` exits 1 when stale). */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resultsJsonSchemaText } from './schema.ts';

const target = fileURLToPath(new URL('./schema.json', import.meta.url));
const text = resultsJsonSchemaText();
if (process.argv.includes('--check')) {
  if ((await readFile(target, 'utf8').catch(() => '')) !== text) {
    process.stderr.write('bench/results/schema.json is stale: run npm run schema\n');
    process.exitCode = 1;
  }
} else {
  await writeFile(target, text);
  process.stderr.write(`wrote ${target}\n`);
}
