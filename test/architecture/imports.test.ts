import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies run one way: bin -> cli -> bench -> scenarios -> src -> shared (docs/readme/architecture.md).
 * Reads every relative import (static, dynamic, re-export) of every TypeScript file and checks it.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every (importing file, imported file) pair below `dir`, as paths relative to the repository. */
export function importsOf(dir: string): { from: string; to: string }[] {
  return tsFiles(dir).flatMap((from) =>
    [...readFileSync(join(ROOT, from), 'utf8').matchAll(IMPORT)].map((m) => ({
      from,
      to: relative(ROOT, resolve(ROOT, dirname(from), m[1]!)),
    })),
  );
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

const RULES: { dir: string; forbidden: string[] }[] = [
  { dir: 'src', forbidden: ['bench', 'cli', 'scenarios', 'test'] },
  { dir: 'scenarios', forbidden: ['bench', 'cli', 'test'] },
  { dir: 'shared', forbidden: ['bench', 'cli', 'scenarios', 'src', 'test'] },
  { dir: 'bench', forbidden: ['cli', 'test'] },
  { dir: 'bench/report', forbidden: ['bench/kinds'] },
];

describe('imports run one way', () => {
  it.each(RULES)('nothing in $dir/ imports $forbidden', ({ dir, forbidden }) => {
    const wrong = importsOf(dir).filter(({ to }) => forbidden.some((f) => inside(to, f)));
    expect(wrong.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('finds imports at all (the check above cannot pass by reading nothing)', () => {
    const found = importsOf('bench');
    expect(found.length).toBeGreaterThan(100);
    expect(found.some(({ to }) => inside(to, 'src'))).toBe(true);
  });

  it('would catch an import that runs back up', () => {
    const fake = "import { x } from '../../bench/report/model.ts';";
    const to = [...fake.matchAll(IMPORT)].map((m) => relative(ROOT, resolve(ROOT, 'src/http', m[1]!)));
    expect(to).toEqual(['bench/report/model.ts']);
  });
});

describe('every kind has the same files', () => {
  const KIND_FILES = ['analyze.ts', 'execute.ts', 'plan.ts', 'render.ts'];
  const kinds = readdirSync(join(ROOT, 'bench/kinds')).filter((n) =>
    statSync(join(ROOT, 'bench/kinds', n)).isDirectory(),
  );

  it('lists at least the four first kinds', () => {
    expect(kinds).toEqual(expect.arrayContaining(['run', 'adr', 'sweep', 'capacity']));
  });

  it.each(kinds)('bench/kinds/%s has plan, execute, analyze and render', (kind) => {
    const files = readdirSync(join(ROOT, 'bench/kinds', kind));
    expect(KIND_FILES.filter((f) => !files.includes(f))).toEqual([]);
  });
});

describe('file size', () => {
  const MAX_LINES = 250;
  it(`no source file is over ${MAX_LINES} lines`, () => {
    const long = ['bin', 'cli', 'bench', 'scenarios', 'src', 'shared', 'dashboards/src']
      .flatMap((d) => tsFiles(d))
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long.map(({ f, lines }) => `${f}: ${lines} lines`)).toEqual([]);
  });
});
