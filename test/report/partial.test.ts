import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCheckpointer, progressOf } from '../../bench/shell/checkpoint.ts';
import { mergeOutcomes, plannedWindows, windowsDone } from '../../bench/schedule/outcome.ts';
import type { BenchmarkOutcome } from '../../bench/schedule/plan.ts';
import { defaultThresholds } from '../../bench/compare/thresholds.ts';
import type { GateAnalysis } from '../../bench/kinds/gate/analyze.ts';
import { reportModelOf } from '../../bench/kinds/index.ts';
import type { Progress } from '../../bench/host/progress.ts';
import { renderHtml } from '../../bench/report/html.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import { incompleteNote } from '../../bench/report/partial.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { validateResults } from '../../bench/results/io.ts';
import type { FailedWindow, ResultKind, Results } from '../../bench/results/types.ts';

// The parts of partial results that need no process: counting windows, the phrase every report prints,
// and the report of a partial file of every kind (the real kill -9 runs are test/ops/partial-results.test.ts).

const fixtureText = readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8');
const fixture = (): Results => JSON.parse(fixtureText) as Results;
const failed: FailedWindow = {
  adapter: 'pg-pool',
  scenario: 'get-job',
  connections: 4,
  poolMax: 2,
  round: 1,
  reason: 'x',
};
const silent: Progress = { update: () => {}, log: () => {}, done: () => {} };

describe('counting the windows of a partial run', () => {
  const cells = fixture().cells; // 6 cells of 3 rounds

  it('counts every round of every cell and every failed window', () => {
    expect(windowsDone({ cells, aborted: false })).toBe(18);
    expect(windowsDone({ cells, aborted: false, failedWindows: [failed] })).toBe(19);
  });

  it('plans every load of every target in every round', () => {
    expect(plannedWindows({ rounds: 3, targets: ['a', 'b'], loads: ['x', 'y', 'z'] })).toBe(18);
  });

  it('merges phases in order, with their failed windows, stopped as the last phase is', () => {
    const phase1: BenchmarkOutcome = { cells: cells.slice(0, 2), aborted: false, failedWindows: [failed] };
    const phase2: BenchmarkOutcome = { cells: cells.slice(2, 3), aborted: true, error: 'boom' };
    expect(mergeOutcomes([phase1, phase2])).toEqual({
      cells: cells.slice(0, 3),
      aborted: true,
      error: 'boom',
      failedWindows: [failed],
    });
    expect(mergeOutcomes([])).toEqual({ cells: [], aborted: false });
  });

  it('records the planned count and the stage of the last checkpoint', () => {
    expect(progressOf({ cells, aborted: false }, { windowsPlanned: 24, stage: 'adr phase 1/3' })).toEqual({
      windowsDone: 18,
      windowsPlanned: 24,
      stage: 'adr phase 1/3',
    });
    expect(progressOf({ cells: [], aborted: true })).toEqual({ windowsDone: 0, windowsPlanned: null });
  });

  it('logs a write that fails and goes on (a full disk must not stop the measurement)', async () => {
    const logged: string[] = [];
    const checkpointer = createCheckpointer<undefined>(
      async () => {
        throw new Error('ENOSPC');
      },
      { ...silent, log: (line: string) => void logged.push(line) },
    );
    await checkpointer.checkpoint({ outcome: { cells, aborted: false }, windowsPlanned: 20 });
    expect(logged).toEqual(['could not write partial results: ENOSPC']);
    expect(checkpointer.last()?.windowsPlanned).toBe(20);
  });
});

describe('the report of a partial file', () => {
  const partial = (kind: ResultKind, status: Results['status'], extra?: Record<string, unknown>): Results => ({
    ...fixture(),
    kind,
    status,
    progress: { windowsDone: 18, windowsPlanned: kind === 'capacity' ? null : 24, stage: 'somewhere' },
    ...(extra ? { extra } : {}),
  });

  it('says how much a file holds, with or without a planned count', () => {
    expect(incompleteNote(partial('sweep', 'running'))).toBe('incomplete: 18 of 24 windows (somewhere)');
    expect(incompleteNote(partial('capacity', 'aborted'))).toBe('incomplete: 18 windows so far (somewhere)');
    expect(incompleteNote(fixture())).toBeUndefined();
    // A file from before results.progress: counted from its cells.
    expect(incompleteNote({ ...fixture(), status: 'running' })).toBe('incomplete: 18 windows so far');
  });

  it('is schema-valid with progress, and not with a malformed one', () => {
    expect(validateResults(partial('sweep', 'running'))).toEqual([]);
    expect(validateResults({ ...fixture(), progress: { windowsDone: -1, windowsPlanned: 2 } })).not.toEqual([]);
  });

  for (const kind of ['run', 'adr', 'sweep', 'capacity', 'gate'] as const)
    for (const status of ['running', 'aborted'] as const)
      it(`renders a ${status} ${kind} file without its section, saying it is partial`, () => {
        const results = partial(kind, status);
        const model = reportModelOf(results);
        const terminal = renderTerminal(results, model);
        expect(terminal).toMatch(
          /^PARTIAL RESULTS: run \S+ (is still RUNNING \(or was killed\)|was ABORTED); incomplete: 18/,
        );
        if (kind !== 'run') expect(terminal).toContain(`${kind}: the analysis is not in this file yet (incomplete: 18`);
        expect(renderMarkdown(results, model)).toMatch(/\*\*(RUNNING|ABORTED)\*\* \(partial, incomplete: 18/);
        expect(renderHtml(results, model)).toContain('incomplete: 18');
      });

  it('renders a running gate with only the base side measured: its section marked partial, no comparison yet', () => {
    const gate: GateAnalysis = {
      sides: {
        base: { ref: 'HEAD', commit: 'a'.repeat(40), installed: 'symlink', migrations: ['001_jobs.sql'] },
        head: { ref: 'working tree', commit: null, installed: 'working tree', migrations: ['001_jobs.sql'] },
      },
      thresholds: defaultThresholds(),
      serverSettings: [],
      statements: [],
    };
    const results = partial('gate', 'running', { gate });
    results.cells = results.cells.map((c) => ({ ...c, side: 'base' as const }));
    const terminal = renderTerminal(results, reportModelOf(results));
    expect(terminal).toContain('PARTIAL: computed from the windows measured so far (incomplete: 18 of 24 windows');
    expect(terminal).toContain('Gate: base vs head');
    expect(terminal).toMatch(/no comparison: /);
    const markdown = renderMarkdown(results, reportModelOf(results));
    expect(markdown).toMatch(/## Gate: base vs head\n\n> \*\*PARTIAL: computed/);
  });
});
