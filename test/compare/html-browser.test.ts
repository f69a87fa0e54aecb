import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults } from '../../bench/compare/compare.ts';
import { renderCompareHtml } from '../../bench/compare/render-html.ts';
import { renderCompareJunit } from '../../bench/compare/render-junit.ts';
import { makeRun } from '../fixtures/make-compare-results.ts';

/** compare.html in headless Chromium (as test/report/html-browser.test.ts): bars, spectrum, no errors. */

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[compare HTML browser tests skipped] ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)('compare.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-compare-html-'));
  const c = compareResults(makeRun({ seed: 1 }), makeRun({ seed: 2 }, { cpuFactor: 1.3 }));
  const cells = c.groups.flatMap((g) => g.cells);
  let context: BrowserContext;
  const errors: string[] = [];
  let page: Awaited<ReturnType<BrowserContext['newPage']>>;

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1200, height: 900 },
    });
    const file = join(dir, 'compare.html');
    writeFileSync(file, renderCompareHtml(c));
    page = await context.newPage();
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads with no console or page errors and shows the verdict first', async () => {
    expect(errors).toEqual([]);
    expect(await page.locator('p.verdict').innerText()).toMatch(/^REGRESSED/);
  });

  it('draws a base and a head bar per cell for each metric, laid out with a non-zero width', async () => {
    const cpu = page.locator('figure[data-metric="serverCpuUsPerRequest"]');
    expect(await cpu.count()).toBe(c.groups.length);
    for (const side of ['base', 'head']) {
      const bars = cpu.first().locator(`rect.bar-${side}`);
      expect(await bars.count()).toBe(cells.length);
      expect((await bars.first().boundingBox())!.width).toBeGreaterThan(0);
    }
    // Head CPU is 30% higher: its bar is longer.
    const baseW = (await cpu.first().locator('rect.bar-base').first().boundingBox())!.width;
    const headW = (await cpu.first().locator('rect.bar-head').first().boundingBox())!.width;
    expect(headW).toBeGreaterThan(baseW * 1.15);
    expect(await cpu.first().locator('path.whisker').count()).toBe(2 * cells.length);
  });

  it('draws the latency spectrum of both sides per cell on a nines axis', async () => {
    const spectra = page.locator('svg.spectrum-chart');
    expect(await spectra.count()).toBe(cells.length);
    const first = spectra.first();
    expect((await first.boundingBox())!.height).toBeGreaterThan(0);
    for (const side of ['base', 'head']) {
      const d = await first.locator(`path.spectrum-${side}`).getAttribute('d');
      expect(d!.split('L').length).toBeGreaterThan(20);
    }
    const ticks = await first.locator('text.tick').allTextContents();
    expect(ticks).toEqual(expect.arrayContaining(['0%', '90%', '99%', '99.9%']));
  });

  it('produces JUnit that a real XML parser accepts', async () => {
    const xml = renderCompareJunit(c);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        cases: doc.querySelectorAll('testcase').length,
        failures: doc.querySelectorAll('failure').length,
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.cases).toBe(cells.reduce((n, x) => n + x.metrics.length, 0));
    expect(parsed.failures).toBe(c.counts.regressed);
  });
});
