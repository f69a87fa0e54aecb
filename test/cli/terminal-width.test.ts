/**
 * The adr and gate terminal output fits 120 columns (issue 22): its tables by layout, its prose (the map's legend
 * and conclusion, the ADR conclusion) by wrapping, its last line by construction. Read from the committed
 * references, rendered again with the current code (no run).
 */
import { describe, expect, it } from 'vitest';
import { adrSection, adrSummary } from '../../bench/kinds/adr/render.ts';
import type { AdrAnalysis } from '../../bench/kinds/adr/analyze.ts';
import { readResults } from '../../bench/results/io.ts';
import { gateSection } from '../../bench/kinds/gate/render.ts';
import type { GateAnalysis } from '../../bench/kinds/gate/analyze.ts';

const REFERENCES = ['adr-map-get-job', 'adr-open-get-job', 'adr-idle-users'];

describe('jobbench adr output width', () => {
  it.each(REFERENCES)('%s: every line of the terminal section and the last line fit 120 columns', async (ref) => {
    const results = await readResults(`results/reference/${ref}/results.json`);
    const analysis = adrSection.read!(results, results.extra!.adr as AdrAnalysis) as AdrAnalysis;
    const text = adrSection.terminal(analysis);
    expect(text).toContain('What the map says');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
    expect(adrSummary(analysis).length).toBeLessThanOrEqual(120);
    // --wide keeps each paragraph on one line
    expect(
      Math.max(
        ...adrSection
          .terminal(analysis, Infinity)
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeGreaterThan(120);
  });
});

describe('jobbench adr with --think-time', () => {
  it('counts users held, not connections, in the ADR table (adr-idle-users)', async () => {
    const results = await readResults('results/reference/adr-idle-users/results.json');
    const analysis = adrSection.read!(results, results.extra!.adr as AdrAnalysis) as AdrAnalysis;
    const text = adrSection.terminal(analysis, Infinity);
    expect(text).toMatch(/1,268 users/);
    expect(text).not.toMatch(/\d conn \[/);
  });
});

describe('jobbench gate output width', () => {
  it('gate-calibration-2026-12-07: every line of the gate section fits 120 columns', async () => {
    const results = await readResults('results/reference/gate-calibration-2026-12-07/results.json');
    const stored = results.extra!.gate as GateAnalysis;
    const analysis = gateSection.read!(results, stored) as GateAnalysis;
    for (const line of gateSection.terminal(analysis).split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
    // with the extension missing, its how-to line wraps too
    const missing = {
      ...analysis,
      statements: analysis.statements.map((s) => ({ ...s, pgStatementsPerRequest: null })),
    };
    for (const line of gateSection.terminal(missing).split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
  });
});
