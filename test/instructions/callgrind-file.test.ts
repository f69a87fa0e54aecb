import { describe, expect, it } from 'vitest';
import { parseCallgrind, UNNAMED_JIT } from '../../bench/instructions/callgrind-file.ts';
import { functionChanges, meanPerRequest } from '../../bench/instructions/function-diff.ts';
import { normaliseJsName, parsePerfMap, perfMapResolver } from '../../bench/instructions/perf-map.ts';
import { scenarioVerdict } from '../../bench/instructions/verdict.ts';
import { sideCount } from '../../bench/instructions/count-sides.ts';

// A hand-written callgrind file in the compressed format valgrind 3.19 writes: `fn=(id) name` defines a
// name, `fn=(id)` reuses it, `calls=` is followed by the call's inclusive cost, `'2` marks a recursion level,
// and JIT code is named by its address. Costs are small and hand-summed below.
const FILE = `version: 1
creator: callgrind-3.19.0
positions: line
events: Ir
summary: 0

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) uv_run
0 10
cfn=(2) 0x0000000000001010
calls=2 0
0 300
fn=(2)
0 100
cfn=(3) Builtins_Call
calls=1 0
0 150
fn=(3)
+2 20
cfn=(4) 0x0000000000002004
calls=1 0
* 130
fn=(4)
-1 100
cfn=(3)
calls=1 0
0 30
fn=(3) Builtins_Call'2
0 30
fn=(5) 0x0000000000009000
0 7

totals: 297
`;
// 10 + 100 + 20 + 100 + 30 + 7 = 267 self; the totals line (297 here, on purpose) wins over the sum.

const MAP = `1000 40 JS:*getById file:///tmp/gate/base/src/adapters/pg-pool.ts:40:5
2000 10 JS:~old file:///tmp/gate/base/src/a.ts:1:1
2000 20 JS:^toJob /tmp/gate/base/src/adapters/sql.ts:15:89
`;

describe('callgrind files', () => {
  const resolve = perfMapResolver(parsePerfMap(MAP), ['/tmp/gate/base']);
  const p = parseCallgrind(FILE, resolve);

  it('reads the total from the totals line', () => {
    expect(p.totalIr).toBe(297);
  });

  it('sums self costs per function, recursion levels merged, JIT addresses named through the perf map', () => {
    const self = Object.fromEntries([...p.functions].map(([n, c]) => [n, c.selfIr]));
    expect(self).toEqual({
      uv_run: 10,
      'getById src/adapters/pg-pool.ts:40:5': 100,
      Builtins_Call: 50, // 20 + its recursion level 30
      'toJob src/adapters/sql.ts:15:89': 100, // the later map line for 0x2000 wins
      [UNNAMED_JIT]: 7,
    });
  });

  it('adds calls to other functions to the inclusive cost, not calls to itself', () => {
    expect(p.functions.get('uv_run')!.inclusiveIr).toBe(310);
    expect(p.functions.get('getById src/adapters/pg-pool.ts:40:5')!.inclusiveIr).toBe(250);
    expect(p.functions.get('toJob src/adapters/sql.ts:15:89')!.inclusiveIr).toBe(130);
    expect(p.functions.get('Builtins_Call')!.inclusiveIr).toBe(180);
  });

  it('normalises V8 names: tier marker, file URL and checkout root go', () => {
    expect(normaliseJsName('JS:*get /w/node_modules/fastify/lib/reply.js:84:9', ['/w'])).toBe(
      'get node_modules/fastify/lib/reply.js:84:9',
    );
    expect(normaliseJsName('JS:~ file:///w/src/x.ts:1:2', ['/w/'])).toBe('src/x.ts:1:2');
    expect(normaliseJsName('JS:~', [])).toBe('(anonymous)');
  });
});

describe('function changes and verdicts', () => {
  const profile = (fns: Record<string, [number, number]>, totalIr: number) => ({
    totalIr,
    functions: new Map(Object.entries(fns).map(([n, [s, i]]) => [n, { selfIr: s, inclusiveIr: i }])),
  });
  it('ranks by |Δ self| and by |Δ inclusive|, leaving out the event loop frames', () => {
    // 10 requests per profile
    const base = meanPerRequest([profile({ uv_run: [0, 1000], a: [500, 500], b: [500, 800] }, 1000)], 10);
    const head = meanPerRequest([profile({ uv_run: [0, 1100], a: [500, 500], b: [550, 850], c: [50, 50] }, 1100)], 10);
    const { bySelf, byInclusive } = functionChanges(base, head, 5);
    expect(bySelf.map((r) => [r.name, r.baseSelfIr, r.headSelfIr])).toEqual([
      ['b', 50, 55],
      ['c', 0, 5],
    ]);
    expect(byInclusive.map((r) => r.name)).toEqual(['b', 'c']); // uv_run is the whole program
  });

  it('compares medians with the threshold and says when the ranges overlap', () => {
    const s = (base: number[], head: number[]) => ({
      scenario: 'get-job',
      base: sideCount(base),
      head: sideCount(head),
      bySelf: [],
      byInclusive: [],
    });
    expect(scenarioVerdict(s([1000, 1002], [1010, 1012]), 0.5)).toMatchObject({
      verdict: 'regressed',
      rangesOverlap: false,
    });
    expect(scenarioVerdict(s([1000, 1002], [1004, 1006]), 0.5)).toMatchObject({ verdict: 'same' });
    // past the threshold, but one build's starts moved as much: not a verdict
    expect(scenarioVerdict(s([1000, 1020], [990, 1000]), 0.5)).toMatchObject({
      verdict: 'inconclusive',
      rangesOverlap: true,
    });
    expect(scenarioVerdict(s([1000, 1020], [985, 995]), 0.5)).toMatchObject({
      verdict: 'improved',
      rangesOverlap: false,
    });
    expect(scenarioVerdict(s([2_582_343, 2_590_259], [2_576_611, 2_637_505]), 0.5)).toMatchObject({
      verdict: 'inconclusive', // the A/A gate of 2026-12-07: search, +0.80%, V8 compiling in one start's window
    });
    expect(scenarioVerdict(s([1000, 1002], [1010, 1012]), 0.5).changePct).toBeCloseTo((1011 / 1001 - 1) * 100, 9);
  });
});
