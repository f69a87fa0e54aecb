import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateResults } from '../../bench/results/io.ts';
import { loadReferenceRuns, renderReferenceIndex } from '../../bench/results/reference-index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'results/');

/** Every committed results file: results/reference/<run>/results.json and the test fixtures of that shape. */
function committedResultsFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name === 'results.json' ? [path] : [];
    });
  const fixtures = readdirSync(join(ROOT, 'test/fixtures'))
    .filter((name) => /^results.*\.json$/.test(name))
    .map((name) => join(ROOT, 'test/fixtures', name));
  return [...walk(join(RESULTS, 'reference')), ...fixtures].map((path) => relative(ROOT, path));
}

describe('committed results files', () => {
  const files = committedResultsFiles();

  it('are found (the check below cannot pass by reading nothing)', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain('test/fixtures/results-small.json');
  });

  it.each(files)('%s validates against the results schema', (file) => {
    expect(validateResults(JSON.parse(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });
});

describe('committed reference runs', () => {
  it('each validates against the results schema and says where it ran', async () => {
    const runs = await loadReferenceRuns(`${RESULTS}reference`); // parseResults throws on any schema violation
    for (const { dir, results } of runs) {
      expect(results.environment.cpus, dir).toBeGreaterThan(0);
      expect(results.environment.postgres, dir).not.toBe('');
      expect(results.cells.length, dir).toBeGreaterThan(0);
    }
  });

  it('are all listed in results/README.md, which is up to date (npm run results:index)', async () => {
    const runs = await loadReferenceRuns(`${RESULTS}reference`);
    expect(await readFile(`${RESULTS}README.md`, 'utf8')).toBe(renderReferenceIndex(runs));
  });

  it('show the caveat of a disturbed or superseded run in its index row (caveat.txt)', async () => {
    const runs = await loadReferenceRuns(`${RESULTS}reference`);
    const disturbed = runs.find((r) => r.dir === 'adr-fastapi-2026-12-01');
    expect(disturbed?.caveat).toMatch(/^Disturbed:/);
    const row = renderReferenceIndex(runs)
      .split('\n')
      .find((line) => line.startsWith('| [adr-fastapi-2026-12-01]'));
    expect(row).toMatch(/\| Disturbed: [^|]*\|$/);
  });
});
