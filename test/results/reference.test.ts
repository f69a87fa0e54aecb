import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadReferenceRuns, renderReferenceIndex } from '../../bench/results/reference-index.ts';

const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url));

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
});
