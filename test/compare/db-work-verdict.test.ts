import { describe, expect, it } from 'vitest';
import { compareGateRun } from '../../bench/compare/compare.ts';
import type { DbWork } from '../../bench/results/db-work.ts';
import type { Results } from '../../bench/results/types.ts';
import { makeGateRun } from '../fixtures/make-compare-results.ts';

const SEARCH = 'SELECT id, title FROM jobs WHERE search @@ websearch_to_tsquery($1) ORDER BY posted_at DESC LIMIT $2';
const work = (blocks: number, extraPing: boolean): DbWork => ({
  requests: 1000,
  total: { calls: extraPing ? 2 : 1, rows: 20, sharedBlocks: blocks, tempBlocks: 0 },
  statements: [
    { query: SEARCH, calls: 1, rows: 20, sharedBlocks: blocks, tempBlocks: 0 },
    ...(extraPing ? [{ query: 'SELECT 1', calls: 1, rows: 1, sharedBlocks: 0, tempBlocks: 0 }] : []),
  ],
});

function withDbWork(results: Results, side: 'base' | 'head', w: DbWork | null): Results {
  for (const cell of results.cells.filter((c) => c.side === side)) for (const r of cell.rounds) r.dbWork = w;
  return results;
}

const row = (c: ReturnType<typeof compareGateRun>, metric: string) =>
  c.groups[0]!.cells[0]!.metrics.find((m) => m.metric === metric)!;

describe('database work per request in a gate', () => {
  it('fails on shared blocks 12 → 890 per request and names the statement', () => {
    const r = withDbWork(
      withDbWork(makeGateRun({ rounds: 6, adapters: ['pg-pool'] }), 'base', work(12, false)),
      'head',
      work(890, false),
    );
    const c = compareGateRun(r);
    const blocks = row(c, 'dbSharedBlocksPerRequest');
    expect(blocks.verdict).toBe('regressed');
    expect(blocks.reason).toMatch(/12 → 890/);
    expect(blocks.reason).toContain('websearch_to_tsquery');
    expect(row(c, 'dbCallsPerRequest').verdict).toBe('unchanged');
    expect(c.passed).toBe(false);
  });

  it('fails on one extra call per request and names the new statement', () => {
    const r = withDbWork(
      withDbWork(makeGateRun({ rounds: 6, adapters: ['pg-pool'] }), 'base', work(12, false)),
      'head',
      work(12, true),
    );
    const calls = row(compareGateRun(r), 'dbCallsPerRequest');
    expect(calls.verdict).toBe('regressed');
    expect(calls.reason).toMatch(/new statement "SELECT 1": 0 → 1/);
  });

  it('passes equal work, and says n/a with how to enable it where the extension is not loaded', () => {
    const same = withDbWork(
      withDbWork(makeGateRun({ rounds: 6, adapters: ['pg-pool'] }), 'base', work(12, false)),
      'head',
      work(12, false),
    );
    for (const m of ['dbCallsPerRequest', 'dbRowsPerRequest', 'dbSharedBlocksPerRequest', 'dbTempBlocksPerRequest'])
      expect(row(compareGateRun(same), m).verdict).toBe('unchanged');
    const off = withDbWork(withDbWork(makeGateRun({ rounds: 6, adapters: ['pg-pool'] }), 'base', null), 'head', null);
    const na = row(compareGateRun(off), 'dbSharedBlocksPerRequest');
    expect(na.verdict).toBe('n/a');
    expect(na.reason).toMatch(/shared_preload_libraries/);
  });
});
