/**
 * An HTTP ceiling the bare server did not bound is a floor, and every fraction read against it is an
 * upper bound, shown "≤" in the terminal, Markdown, HTML and JSON alike. The floor is a real one: one
 * autocannon connection, one process, no cheaper generator, against the real bare server (one request in
 * flight leaves the server idle during every round trip: it cannot reach its core).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureHttpCeiling } from '../../bench/ceilings/http-ceiling.ts';
import { buildReportModel } from '../../bench/report/model.ts';
import { renderHtml } from '../../bench/report/html.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import { renderTerminal } from '../../bench/report/terminal.ts';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import type { HttpCeiling } from '../../bench/results/ceilings.ts';
import { validateResults } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8')) as Results;

const withCeiling = (http: HttpCeiling): Results => ({
  ...fixture,
  ceilings: {
    measuredAt: '2026-12-06T00:00:00.000Z',
    http,
    db: null,
    fingerprint: { loopbackRoundTripUs: 40, syscallNs: 900, syscallProbe: 'dd', singleCoreOpsPerSec: 2e7 },
    notes: http.floorReason ? [`HTTP ceiling (${http.tool}) is a floor: ${http.floorReason}`] : [],
  },
});

describe('an HTTP ceiling that is a floor', () => {
  it('one autocannon connection: the bare server is below its core, the ceiling says it is a floor and why', async () => {
    const c = await measureHttpCeiling({
      runner: autocannonRunner,
      connections: 1,
      durationS: 1,
      warmupS: 0.5,
      maxWorkers: 1,
    });
    expect(c.requests).toBeGreaterThan(0);
    expect(c.serverCpuPercent).toBeGreaterThan(0); // read from the bare server's own /proc entry
    expect(c.serverCpuPercent).toBeLessThan(90);
    expect(c.boundBy).toBe('generator');
    expect(c.floorReason).toMatch(
      /^the bare server used \d+(\.\d)?% of a core \(< 90%\) with autocannon .*; tried: autocannon$/,
    );

    const results = withCeiling(c);
    expect(validateResults(results)).toEqual([]);
    const model = buildReportModel(results);
    const fractions = model.tables.flatMap((t) => t.rows.map((r) => r.extras?.ceiling));
    expect(fractions.length).toBeGreaterThan(0);
    for (const f of fractions) expect(f).toMatchObject({ httpAtMost: true }); // report --json prints the model
    const json = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(json.tables.flatMap((t) => t.rows.map((r) => r.extras?.ceiling?.httpAtMost))).not.toContain(undefined);
    for (const [name, text] of [
      ['terminal', renderTerminal(results, model)],
      ['markdown', renderMarkdown(results, model)],
      ['html', renderHtml(results, model)],
    ] as const) {
      const shown = text.match(/[≤&le;]*\s?\d+(\.\d+)?% of HTTP/g) ?? [];
      expect(shown.length, name).toBeGreaterThanOrEqual(fractions.length);
      for (const s of shown) expect(s, name).toMatch(/^(≤|&le;) /);
      expect(text, name).toContain('is a floor');
    }
  });

  it('a server-bound ceiling shows plain fractions', () => {
    const results = withCeiling({
      tool: 'wrk',
      connections: 10,
      durationS: 3,
      requests: 60_000,
      requestsPerSec: 20_000,
      latencyP50Us: 300,
      latencyP99Us: 900,
      generatorCpuPercent: 60,
      serverCpuPercent: 97,
      boundBy: 'server',
    });
    const text = renderMarkdown(results);
    expect(text).toMatch(/\| \d+(\.\d+)?% of HTTP/);
    expect(text).not.toMatch(/≤ \d+(\.\d+)?% of HTTP/);
  });
});
