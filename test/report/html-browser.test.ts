import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsFor } from '../../bench/report/columns.ts';
import { renderHtml } from '../../bench/report/html.ts';
import { buildReportModel } from '../../bench/report/model.ts';
import type { Results } from '../../bench/results/types.ts';
import { fixture, HOSTILE, hostileResults } from './html-support.ts';

/**
 * report.html in a real headless browser (Debian's Chromium, driven by playwright-core): the page
 * loads offline without errors, tables and charts are laid out, and hostile strings stay text.
 */

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `[HTML browser tests skipped] ${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run them`,
  );

interface Loaded {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
}

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-html-browser-'));
  let context: BrowserContext;

  beforeAll(async () => {
    // A fresh profile every run (launchPersistentContext owns --user-data-dir): no state leaks in.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 900 },
    });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function load(name: string, results: Results): Promise<Loaded> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(results));
    const page = await context.newPage();
    const loaded: Loaded = { page, consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') loaded.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => loaded.pageErrors.push(err.message));
    page.on('request', (req) => loaded.requests.push(req.url()));
    page.on('dialog', (dialog) => {
      loaded.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return loaded;
  }

  describe('the fixture report', () => {
    const results = fixture();
    const model = buildReportModel(results);
    let loaded: Loaded;
    beforeAll(async () => {
      loaded = await load('fixture', results);
    });

    it('loads offline with no console or page errors', () => {
      expect(loaded.consoleErrors).toEqual([]);
      expect(loaded.pageErrors).toEqual([]);
      expect(loaded.requests).toEqual([pathToFileURL(join(dir, 'fixture.html')).href]);
    });

    it('has the run id in its title and heading', async () => {
      expect(await loaded.page.title()).toBe(`jobbench report: ${results.runId}`);
      expect(await loaded.page.locator('h1').innerText()).toContain(results.runId);
    });

    it('has one results table per scenario, one row per adapter, slowest first', async () => {
      const sections = loaded.page.locator('section.result');
      expect(await sections.count()).toBe(model.tables.length);
      for (const [i, table] of model.tables.entries()) {
        const section = sections.nth(i);
        const headers = await section.locator('table.results thead th').allInnerTexts();
        expect(headers).toEqual(columnsFor(table).map((c) => c.header));
        const names = await section.locator('table.results tbody th').allInnerTexts();
        expect(names).toEqual(table.rows.map((r) => r.adapter));
        expect(new Set(names).size).toBe(results.cells.filter((c) => c.scenario === table.scenario).length);
        // Slowest first, read back from the rendered text: "26,387 req/s (25,846–27,542)".
        const rates = (await section.locator('table.results tbody td:nth-child(2)').allInnerTexts()).map((t) =>
          Number(t.split(' ')[0]!.replace(/,/g, '')),
        );
        expect(rates).toEqual([...rates].sort((a, b) => a - b));
        expect(await section.locator('table.results tbody tr').first().innerText()).toContain('(slowest)');
      }
    });

    it('lays out every SVG chart with a non-zero size, with one visible bar per adapter', async () => {
      const charts = loaded.page.locator('svg.chart');
      expect(await charts.count()).toBe(2 * model.tables.length);
      for (let i = 0; i < (await charts.count()); i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(0);
        expect(box!.height).toBeGreaterThan(0);
      }
      for (const [i, table] of model.tables.entries()) {
        const bars = loaded.page.locator('section.result').nth(i).locator('rect.bar-rps');
        expect(await bars.count()).toBe(table.rows.length);
        const widths = await Promise.all(table.rows.map(async (_, j) => (await bars.nth(j).boundingBox())!.width));
        for (const width of widths) expect(width).toBeGreaterThan(0);
        // Bars are in table order, slowest first, so their lengths never decrease.
        expect(widths).toEqual([...widths].sort((a, b) => a - b));
      }
    });

    it('opens the latency and evidence detail without any script', async () => {
      const section = loaded.page.locator('section.result').first();
      expect(await section.locator('table.evidence').isVisible()).toBe(false);
      await section.locator('details > summary').click();
      expect(await section.locator('table.latency-detail').isVisible()).toBe(true);
      expect(await section.locator('table.evidence tbody tr').count()).toBe(model.tables[0]!.rows.length);
    });

    it('takes a full-page screenshot', async () => {
      const path = join(dir, 'fixture.png');
      await loaded.page.screenshot({ path, fullPage: true });
      expect(statSync(path).size).toBeGreaterThan(0);
    });
  });

  describe('a results file full of markup', () => {
    let loaded: Loaded;
    beforeAll(async () => {
      loaded = await load('hostile', hostileResults());
    });

    it('runs nothing: no dialog, no script or foreign element, no inline event handler', async () => {
      expect(loaded.dialogs).toEqual([]);
      expect(loaded.pageErrors).toEqual([]);
      expect(loaded.consoleErrors).toEqual([]);
      const found = await loaded.page.evaluate(() => ({
        elements: document.querySelectorAll('script, img, iframe, object, embed, b, svg:not(.chart)').length,
        handlers: [...document.querySelectorAll('*')]
          .flatMap((el) => [...el.attributes].map((a) => a.name))
          .filter((name) => name.startsWith('on')),
        styles: document.querySelectorAll('style').length,
      }));
      expect(found).toEqual({ elements: 0, handlers: [], styles: 1 });
    });

    it('shows the strings as text, in tables, charts, config and extra', async () => {
      const page = loaded.page;
      expect(await page.locator('table.results tbody th', { hasText: HOSTILE.adapter }).count()).toBeGreaterThan(0);
      expect(await page.locator('svg.chart text.name', { hasText: HOSTILE.adapter }).count()).toBeGreaterThan(0);
      expect(await page.locator('table.results tbody th', { hasText: HOSTILE.label }).count()).toBe(1);
      expect(await page.locator('section.result h3', { hasText: HOSTILE.scenario }).count()).toBeGreaterThan(0);
      expect(await page.locator('h1').innerText()).toContain(HOSTILE.runId);
      expect(await page.locator('#environment').innerText()).toContain(HOSTILE.cpuModel);
      expect(await page.locator('#configuration').innerText()).toContain(JSON.stringify(HOSTILE.config));
      expect(await page.locator('#extra summary').allInnerTexts()).toContain(HOSTILE.extraKey);
      expect(await page.locator('#extra pre').allTextContents()).toContain(HOSTILE.extraValue);
      expect(await page.locator('.banner').innerText()).toContain(HOSTILE.error);
      expect(await page.title()).toBe(`jobbench report: ${HOSTILE.runId}`);
    });

    it('takes a screenshot', async () => {
      const path = join(dir, 'hostile.png');
      await loaded.page.screenshot({ path, fullPage: true });
      expect(statSync(path).size).toBeGreaterThan(0);
    });
  });
});
