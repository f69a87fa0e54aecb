/** The harness's own weight (Round.harness) in report.md's server-side evidence: one line per table. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateResults } from '../../bench/results/io.ts';
import type { Results, Round } from '../../bench/results/types.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8')) as Results;

const weight = (round: number): NonNullable<Round['harness']> => ({
  wallS: 4,
  serverRequests: 6 + round,
  serverRequestsPerSec: (6 + round) / 4,
  serverRequestsByProbe: { 'event-loop': 4 + round, queries: 2 },
  dbStatements: 8,
  cpuUs: 40_000 * round,
  cpuPercent: round,
});

function withWeight(): Results {
  return {
    ...fixture,
    cells: fixture.cells.map((c) => ({ ...c, rounds: c.rounds.map((r) => ({ ...r, harness: weight(r.round) })) })),
  };
}

describe('the harness weight in report.md', () => {
  it('says, under each table, the largest of what the probes asked of the server and of PostgreSQL, and its CPU', () => {
    const results = withWeight();
    expect(validateResults(results)).toEqual([]);
    const rounds = Math.max(...fixture.cells[0]!.rounds.map((r) => r.round));
    const md = renderMarkdown(results);
    expect(md).toContain(
      `*Harness weight* (jobbench's own, during each window, largest over these rows): ${((6 + rounds) / 4).toFixed(1)} requests/s to the server from its probes (event-loop ${((4 + rounds) / 4).toFixed(1)}, queries 0.5), 2.0 statements/s to PostgreSQL, ${rounds.toFixed(1)}% of a core of its own CPU.`,
    );
  });

  it('says nothing for a file written before it was recorded', () => {
    expect(renderMarkdown(fixture)).not.toContain('Harness weight');
  });
});
