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

/**
 * Inside bench/, concepts in layers, bottom first: each imports only from its own layer or below
 * (docs/readme/architecture.md draws the same order). A lower layer that needs something of a higher
 * one gets it passed in, or the thing moves down.
 */
export const BENCH_LAYERS = [
  'results', // every persisted type and the schema: imports nothing of bench/
  'stats',
  'host', // /proc, processes, lifecycle, tools, progress
  'db',
  'targets',
  'faults',
  'pgbouncer',
  'runners',
  'ceilings',
  'window', // one measured window and its probes
  'schedule', // rounds × targets × loads, the cell identity, outcomes
  'levels', // level searches (capacity, adr)
  'instructions', // instructions per request (callgrind)
  'report',
  'compare',
  'kinds',
  'shell',
] as const;

const layerOf = (path: string): number => {
  const concept = path.split('/')[1]!.replace(/\.ts$/, '');
  return BENCH_LAYERS.indexOf(concept as (typeof BENCH_LAYERS)[number]);
};

/** Strongly connected groups of files (Tarjan) with more than one file: import cycles. */
export function cyclesOf(edges: readonly { from: string; to: string }[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const { from, to } of edges) {
    graph.set(from, [...(graph.get(from) ?? []), to]);
    if (!graph.has(to)) graph.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups;
}

describe('inside bench/', () => {
  const edges = importsOf('bench').filter(({ to }) => inside(to, 'bench'));

  it('every folder and loose file of bench/ is in a layer', () => {
    const concepts = [...new Set(tsFiles('bench').map((f) => f.split('/')[1]!.replace(/\.ts$/, '')))];
    expect(concepts.filter((c) => layerOf(`bench/${c}`) < 0)).toEqual([]);
  });

  it('no import runs up a layer', () => {
    const up = edges.filter(({ from, to }) => layerOf(to) > layerOf(from));
    expect(up.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('has no file-level import cycle (type-only imports count)', () => {
    expect(cyclesOf(edges)).toEqual([]);
  });

  it('results/ imports nothing of bench/ but itself', () => {
    const out = edges.filter(({ from, to }) => inside(from, 'bench/results') && !inside(to, 'bench/results'));
    expect(out.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('no kind imports another kind (what two kinds share lives below kinds/)', () => {
    const kindOf = (p: string) => (/^bench\/kinds\/([^/]+)\//.exec(p) ?? [])[1];
    const across = edges.filter(({ from, to }) => kindOf(from) && kindOf(to) && kindOf(from) !== kindOf(to));
    expect(across.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('the cycle check finds a cycle, type-only imports included', () => {
    expect(
      cyclesOf([
        { from: 'a.ts', to: 'b.ts' },
        { from: 'b.ts', to: 'c.ts' },
        { from: 'c.ts', to: 'a.ts' },
        { from: 'c.ts', to: 'd.ts' },
      ]),
    ).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    const typeOnly = "import type { X } from './y.ts';";
    expect([...typeOnly.matchAll(IMPORT)].map((m) => m[1])).toEqual(['./y.ts']);
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
