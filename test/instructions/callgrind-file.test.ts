import { describe, expect, it } from 'vitest';
import { parseCallgrind, UNNAMED_JIT } from '../../bench/instructions/callgrind-file.ts';
import { functionChanges, meanPerRequest } from '../../bench/instructions/function-diff.ts';
import { normaliseJsName, parsePerfMap, perfMapResolver } from '../../bench/instructions/perf-map.ts';
import { scenarioVerdict } from '../../bench/instructions/verdict.ts';
import { sideCount } from '../../bench/instructions/count-sides.ts';
import { sweepingIr, WINDOW_DEPENDENT, windowDependent } from '../../bench/instructions/jit.ts';
import { instructionsLines } from '../../bench/instructions/render.ts';
import type { SideCount } from '../../bench/results/instructions.ts';

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

// The request path calls into V8's compiler twice (the second compile reaches the collector through one of
// its pipeline's functions) and into the collector once; an allocation sweeps lazily.
const RT = 'v8::internal::Runtime_CompileOptimized(int, unsigned long*, v8::internal::Isolate*)';
const PIPE = 'v8::internal::compiler::PipelineImpl::OptimizeGraph(v8::internal::compiler::Linkage*)';
const CG =
  'v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags)';
const SWEEP = 'v8::internal::Sweeper::RawSweep(v8::internal::Page*)';
const WINDOW = `events: Ir
fn=(1) handler
0 1000
cfn=(2) ${RT}
calls=1 0
0 500
cfn=(2)
calls=1 0
0 300
cfn=(4) ${CG}
calls=1 0
0 200
cfn=(5) v8::internal::PagedSpace::RefillLabMain(int)
calls=1 0
0 60
fn=(2)
0 100
cfn=(3) ${PIPE}
calls=2 0
0 700
fn=(3)
0 650
cfn=(4)
calls=1 0
0 50
fn=(4)
0 240
cfn=(6) ${SWEEP}
calls=1 0
0 10
fn=(5)
0 20
cfn=(6)
calls=1 0
0 40
fn=(6)
0 50
totals: 2060
`;

describe('work that depends on where the window falls (jit.ts)', () => {
  const p = parseCallgrind(WINDOW, undefined, WINDOW_DEPENDENT);

  it('records calls into V8 compiling and collecting from outside them, each nested call once', () => {
    expect(Object.fromEntries(p.entryIr)).toEqual({ [RT]: 800, [CG]: 250 });
  });

  it('splits them into compiling and garbage collection, which sum with the rest to the total', () => {
    const { compileIr, gcIr } = windowDependent(p);
    expect(compileIr).toBe(800); // both compiles, with what they called
    // The collection the handler triggered (200), and the one inside a compile (50), which the compile
    // holds too: an entry's caller is all a callgrind file tells, not its stack (a known limit, jit.ts).
    expect(gcIr).toBe(250);
    // Left in: the handler's own 1000, and the allocation path's 60 with its lazy sweep.
    expect(p.totalIr - compileIr - gcIr).toBe(1010);
  });

  it('reads lazy sweeping apart, from every caller (an upper bound: 10 of the 50 ran inside a collection)', () => {
    expect(sweepingIr(p)).toBe(50);
  });
});

describe('function changes and verdicts', () => {
  const profile = (fns: Record<string, [number, number]>, totalIr: number) => ({
    totalIr,
    functions: new Map(Object.entries(fns).map(([n, [s, i]]) => [n, { selfIr: s, inclusiveIr: i }])),
    entryIr: new Map<string, number>(),
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

  it('gives no verdict that lazy sweeping in one window decides, in either direction', () => {
    const swept = (ir: number[], sweep: number[]) => sideCount(ir, { compile: [0], gc: [0], sweep });
    const s = (base: SideCount, head: SideCount) => ({ scenario: 'get-job', base, head, bySelf: [], byInclusive: [] });
    // aa-26 of gate-calibration-2026-12-07e, rounded: base's window swept after a mark-compact, head's did not
    const aa26 = scenarioVerdict(s(swept([254_000], [2_200]), swept([252_730], [0])), 0.5);
    expect(aa26).toMatchObject({ verdict: 'inconclusive', sweepingDecides: true });
    expect(aa26.changePct).toBeCloseTo(-0.5, 2);
    expect(aa26.changeWithoutSweepingPct).toBeCloseTo((252_730 / 251_800 - 1) * 100, 9);
    // a real +1% that base's sweeping hides: "same" with it, "regressed" without it → inconclusive too
    expect(scenarioVerdict(s(swept([102_000], [2_000]), swept([101_000], [0])), 0.5)).toMatchObject({
      verdict: 'inconclusive',
      sweepingDecides: true,
    });
    // a change the sweeping does not decide keeps its verdict; no sweeping: nothing to take out
    expect(scenarioVerdict(s(swept([100_000], [100]), swept([102_000], [0])), 0.5)).toMatchObject({
      verdict: 'regressed',
      sweepingDecides: false,
    });
    expect(scenarioVerdict(s(swept([100_000], [0]), swept([100_300], [0])), 0.5)).toEqual({
      scenario: 'get-job',
      changePct: expect.closeTo(0.3, 9),
      verdict: 'same',
      rangesOverlap: false,
      sweepingDecides: false,
    });
    const line = instructionsLines(
      {
        status: 'counted',
        method: 'callgrind_control',
        adapter: 'pg-pool',
        starts: 1,
        warmupRequests: 4000,
        requests: 200,
        seed: 1,
        valgrind: 'valgrind-3.19.0',
        scenarios: [s(swept([254_000], [2_200]), swept([252_730], [0]))],
      },
      0.5,
    )[1];
    expect(line).toBe(
      '  get-job: base 254,000 (n=1; of it, lazy sweeping 2,200; besides: compiling 0, GC 0) → head 252,730' +
        ' (n=1; besides: compiling 0, GC 0): −0.50% inconclusive (+0.37% without V8’s lazy sweeping, which a' +
        ' collection placed in a window: the sweeping decides it; more --instructions-starts decide)',
    );
  });
});

describe('the instructions section', () => {
  it('shows what the figure leaves out on each side, and says so in its title', () => {
    const lines = instructionsLines(
      {
        status: 'counted',
        method: 'callgrind_control',
        adapter: 'pg-pool',
        starts: 2,
        warmupRequests: 4000,
        requests: 200,
        seed: 1,
        valgrind: 'valgrind-3.19.0',
        scenarios: [
          {
            scenario: 'get-job',
            base: sideCount([252_000, 253_000], { compile: [35_700, 36_400], gc: [4_600, 9_000] }),
            head: sideCount([255_000, 256_000], { compile: [35_800, 35_700], gc: [8_100, 5_500] }),
            bySelf: [],
            byInclusive: [],
          },
        ],
      },
      0.5,
    );
    expect(lines[0]).toMatch(/compiling and collecting garbage inside the window left out/);
    expect(lines[1]).toBe(
      '  get-job: base 252,500 (range 252,000 … 253,000, n=2; besides: compiling 35,700 … 36,400, GC 4,600 … 9,000)' +
        ' → head 255,500 (range 255,000 … 256,000, n=2; besides: compiling 35,700 … 35,800, GC 5,500 … 8,100): +1.19% regressed',
    );
  });
});
