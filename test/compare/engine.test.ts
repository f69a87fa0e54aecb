import { describe, expect, it } from 'vitest';
import { compareGateRun, CompareInputError, compareResults } from '../../bench/compare/compare.ts';
import { ADVISORY_NOTE, diffEnvironments, SEPARATE_RUNS_NOTE } from '../../bench/compare/environment-diff.ts';
import { matchCells } from '../../bench/compare/identity.ts';
import { pairKey } from '../../bench/schedule/cell.ts';
import type { Cell } from '../../bench/results/types.ts';
import { FIXTURE_ENVIRONMENT, makeGateRun, makeRun } from '../fixtures/make-compare-results.ts';

const verdictOf = (c: ReturnType<typeof compareResults>, adapter: string, metric: string) =>
  c.groups
    .flatMap((g) => g.cells)
    .find((x) => x.identity.adapter === adapter)!
    .metrics.find((m) => m.metric === metric)!.verdict;

describe('cell matching', () => {
  const cell = (over: Partial<Cell>): Cell => ({ ...makeRun({ rounds: 3, adapters: ['pg-pool'] }).cells[0]!, ...over });
  it.each([
    { name: 'same identity', head: {}, paired: true },
    { name: 'absent via equals direct', head: { via: 'direct' as const }, paired: true },
    { name: 'another adapter', head: { adapter: 'kysely' }, paired: false },
    { name: 'another scenario', head: { scenario: 'search' }, paired: false },
    { name: 'another connection count', head: { connections: 50 }, paired: false },
    { name: 'another pool size', head: { poolMax: 2 }, paired: false },
    { name: 'another route', head: { via: 'pgbouncer' as const }, paired: false },
    { name: 'another metrics mode', head: { metrics: 'off' as const }, paired: false },
    { name: 'another label', head: { label: 'x' }, paired: false },
    { name: 'another tool', head: { tool: 'k6' as const }, paired: false },
    { name: 'the side is not identity', head: { side: 'head' as const }, paired: true },
    { name: 'another fault schedule', head: { fault: 'reset@1s' }, paired: false },
    { name: 'another think time', head: { thinkTimeMs: 500 }, paired: false },
    { name: 'shed on vs off (its label)', head: { label: 'shed on' }, paired: false },
    { name: 'another process count', head: { workers: 4 }, paired: false },
  ])('$name → paired: $paired', ({ head, paired }) => {
    const m = matchCells([cell({})], [cell(head)]);
    expect(m.pairs.length === 1).toBe(paired);
    expect(m.onlyBase.length).toBe(paired ? 0 : 1);
    expect(m.onlyHead.length).toBe(paired ? 0 : 1);
  });

  it('keeps two --fault cells of one target apart when a file is compared with itself (no "measured twice")', () => {
    const run = makeRun({ rounds: 3, adapters: ['pg-pool'] });
    const cells = [
      { ...run.cells[0]!, fault: 'latency=5ms@1s-2s' },
      { ...run.cells[0]!, fault: 'reset@1s' },
    ];
    const file = { ...run, cells };
    const c = compareResults(file, file);
    expect(c.duplicates).toEqual([]);
    expect(c.groups.flatMap((g) => g.cells)).toHaveLength(2);
  });

  it('matches open-model cells by target rate, not connections', () => {
    const a = cell({ tool: 'k6', targetRate: 500, connections: 10 });
    const b = cell({ tool: 'k6', targetRate: 500, connections: 80 });
    expect(matchCells([a], [b]).pairs).toHaveLength(1);
    expect(pairKey(a)).toBe(pairKey(b));
  });

  it('lists cells only one side has and refuses files with none in common', () => {
    const base = makeRun({ adapters: ['pg-pool', 'kysely'], rounds: 4 });
    const head = makeRun({ adapters: ['pg-pool', 'postgres-js'], rounds: 4, seed: 2 });
    const c = compareResults(base, head);
    expect(c.onlyBase.map((i) => i.adapter)).toEqual(['kysely']);
    expect(c.onlyHead.map((i) => i.adapter)).toEqual(['postgres-js']);
    expect(() => compareResults(makeRun({ adapters: ['kysely'] }), makeRun({ adapters: ['pg-pool'] }))).toThrow(
      CompareInputError,
    );
  });
});

describe('environment differences', () => {
  it.each([
    { name: 'nothing differs', head: {}, advisory: false, note: SEPARATE_RUNS_NOTE, fields: [] },
    {
      name: 'another commit',
      head: { gitCommit: 'abc' },
      advisory: false,
      note: SEPARATE_RUNS_NOTE,
      fields: ['gitCommit'],
    },
    { name: 'another Node', head: { node: 'v22.0.0' }, advisory: false, note: SEPARATE_RUNS_NOTE, fields: ['node'] },
    { name: 'another CPU', head: { cpuModel: 'Other CPU' }, advisory: true, note: ADVISORY_NOTE, fields: ['cpuModel'] },
    { name: 'more cores', head: { cpus: 8 }, advisory: true, note: ADVISORY_NOTE, fields: ['cpus'] },
    { name: 'another kernel', head: { os: 'Linux 6.8.0 x64' }, advisory: true, note: ADVISORY_NOTE, fields: ['os'] },
    { name: 'another memory', head: { memoryBytes: 1 }, advisory: true, note: ADVISORY_NOTE, fields: ['memoryBytes'] },
    {
      name: 'another driver version',
      head: { drivers: { pg: '8.14.0', postgres: '3.4.5' } },
      advisory: false,
      note: SEPARATE_RUNS_NOTE,
      fields: ['drivers.pg'],
    },
  ])('$name → advisory $advisory', ({ head, advisory, note, fields }) => {
    const d = diffEnvironments(FIXTURE_ENVIRONMENT, { ...FIXTURE_ENVIRONMENT, ...head });
    expect(d.advisory).toBe(advisory);
    expect(d.note).toBe(note);
    expect(d.differences.map((x) => x.field)).toEqual(fields);
  });

  it('has nothing to say within one gate run', () => {
    const d = diffEnvironments(FIXTURE_ENVIRONMENT, FIXTURE_ENVIRONMENT, true);
    expect(d).toMatchObject({ sameRun: true, advisory: false, note: null, differences: [] });
  });
});

describe('compareResults and compareGateRun', () => {
  it('calls a run against itself unchanged on every metric and passes', () => {
    const run = makeRun({ rounds: 6, samplesPerRound: 2000 });
    const c = compareResults(run, run);
    expect(c.passed).toBe(true);
    expect(c.counts.regressed).toBe(0);
    expect(c.groups.flatMap((g) => g.cells).flatMap((x) => x.metrics.map((m) => m.verdict))).not.toContain('regressed');
  });

  it('names the cell that regressed when head CPU/request rises 30%', () => {
    const c = compareResults(makeRun({ seed: 1 }), makeRun({ seed: 2 }, { cpuFactor: 1.3 }));
    expect(c.passed).toBe(false);
    expect(c.overall).toBe('regressed');
    expect(verdictOf(c, 'pg-pool', 'serverCpuUsPerRequest')).toBe('regressed');
    expect(c.headline).toMatch(/^REGRESSED: .*pg-pool get-job server CPU\/request \+\d/);
  });

  it('pairs rounds by number inside one gate file and catches an injected regression', () => {
    const c = compareGateRun(
      // 10 rounds: 2 cells × 4 timed checks share alpha (Holm), and 2 / 2^9 is the first sign-flip p < 0.05 / 8
      makeGateRun({ rounds: 10 }, { queriesPerRequest: 1 }, { cpuFactor: 1.2, queriesPerRequest: 2 }),
    );
    expect(c.sameRun).toBe(true);
    expect(c.groups[0]!.cells.every((x) => x.paired)).toBe(true);
    expect(verdictOf(c, 'pg-pool', 'serverCpuUsPerRequest')).toBe('regressed');
    expect(verdictOf(c, 'pg-pool', 'queriesPerRequest')).toBe('regressed');
    expect(c.environment.advisory).toBe(false);
  });

  it('refuses a gate file without both sides', () => {
    expect(() => compareGateRun(makeRun())).toThrow(/not a gate run with both sides/);
  });

  it('sorts cells slowest first by base req/s, as reports do', () => {
    const c = compareResults(makeRun({ adapters: ['a', 'b', 'c'] }), makeRun({ adapters: ['a', 'b', 'c'], seed: 5 }));
    const rps = c.groups[0]!.cells.map((x) => x.metrics.find((m) => m.metric === 'requestsPerSec')!.base!.median);
    expect(rps).toEqual([...rps].sort((a, b) => a - b));
  });

  it('draws a spectrum per side from the merged histograms, on the nines axis', () => {
    const c = compareResults(makeRun(), makeRun({ seed: 2 }));
    const s = c.groups[0]!.cells[0]!.spectrum.base!;
    expect(s.points[0]!.nines).toBe(0);
    expect(s.points.at(-1)!.nines).toBeLessThanOrEqual(Math.log10(s.responses) + 1e-9);
    const values = s.points.map((p) => p.latencyUs);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});
