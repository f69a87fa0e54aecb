/** The report's memory section: harness and server RSS per cell, and per minute for long windows. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';
import { renderHtml } from '../../bench/report/html.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { buildMemoryModel } from '../../bench/report/memory.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8')) as Results;
const MiB = 1024 ** 2;

/** The fixture with harness RSS in every round and, if `soak`, a 3-minute series in the first cell's round 1. */
function withMemory(soak: boolean): Results {
  return {
    ...fixture,
    cells: fixture.cells.map((c, i) => ({
      ...c,
      rounds: c.rounds.map((r) => ({
        ...r,
        harnessPeakRssBytes: (100 + r.round) * MiB,
        harnessEndRssBytes: 90 * MiB,
        ...(soak && i === 0 && r.round === 1
          ? {
              rssOverTime: {
                bucketS: 60,
                points: [0, 60, 120].map((atS) => ({
                  atS,
                  harnessRssBytes: 101 * MiB,
                  serverRssBytes: (110 + atS / 60) * MiB,
                })),
              },
            }
          : {}),
      })),
    })),
  };
}

describe('memory in the report', () => {
  it('gives each cell the server peak RSS and the harness peak and end RSS', () => {
    const m = buildMemoryModel(withMemory(false));
    expect(m.rows).toHaveLength(fixture.cells.length);
    expect(m.rows[0]).toMatchObject({ harnessPeakRssBytes: 103 * MiB, harnessEndRssBytes: 90 * MiB });
    expect(m.rows[0]!.serverPeakRssBytes).toBe(Math.max(...fixture.cells[0]!.rounds.map((r) => r.serverRssBytes!)));
    expect(m.series).toEqual([]);
    const md = renderMarkdown(withMemory(false));
    expect(md).toContain('## Memory');
    expect(md).toContain('| pg-pool · health · autocannon · 10 connections |');
    expect(renderTerminal(withMemory(false))).not.toContain('Memory'); // a short run's terminal output as before
  });

  it('shows RSS per minute for a long window, in every renderer, and the file validates', () => {
    const results = withMemory(true);
    expect(validateResults(results)).toEqual([]);
    const md = renderMarkdown(results);
    expect(md).toContain('RSS over time: pg-pool · health · autocannon · 10 connections · round 1');
    expect(md).toContain('| minute | harness RSS | server RSS |');
    expect(md).toContain('| 3 | 101.0 MiB | 112.0 MiB |');
    expect(renderTerminal(results)).toContain('RSS over time');
    expect(renderHtml(results)).toContain('<section id="memory">');
  });

  it('adds nothing for a file written before the harness recorded its RSS', () => {
    expect(buildMemoryModel(fixture)).toEqual({ rows: [], series: [] });
    expect(renderMarkdown(fixture)).not.toContain('## Memory');
  });
});
