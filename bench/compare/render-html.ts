import { escapeHtml } from '../report/html-escape.ts';
import { htmlPage } from '../report/html-page.ts';
import { barChartSvg, type ChartRow } from '../report/html-svg.ts';
import { roundsIntervalText } from '../stats/interval-text.ts';
import type { Comparison, ComparisonGroup } from './compare.ts';
import { compareColumns, groupRounds, estimateText, sidesLine, unmatchedLines } from './format.ts';
import { spectrumSvg } from './html-spectrum.ts';
import { COMPARE_METRICS } from './metrics.ts';

/**
 * `compare.html` for readers: the verdict, then per scenario and load shape the verdict table, one
 * bar chart per metric (base vs head, whiskers = 95% intervals) and the latency spectrum of both
 * sides per cell. Self-contained like report.html: the same stylesheet and SVG helpers, no script.
 */

const EXTRA_CSS = `
:root { --base: #9aa4af; --head: #3b82c4; }
svg .bar-base { fill: var(--base); } svg .bar-head { fill: var(--head); }
span.bar-base { background: var(--base); } span.bar-head { background: var(--head); }
svg .spectrum { fill: none; stroke-width: 2; } svg .spectrum-base { stroke: var(--base); stroke-dasharray: 6 3; }
svg .spectrum-head { stroke: var(--head); }
.verdict { font-size: 1.15em; font-weight: 600; padding: 10px 14px; border-radius: 6px; border: 1px solid var(--border); }
.verdict.regressed { border-color: var(--bad); color: var(--bad); } .verdict.pass { border-color: var(--ok); color: var(--ok); }
tr.regressed td, tr.regressed th { color: var(--bad); font-weight: 600; }
`;

const legend = `<span class="legend"><span class="key"><span class="swatch bar-base"></span>base</span><span class="key"><span class="swatch bar-head"></span>head</span></span>`;

function metricChart(group: ComparisonGroup, metricIndex: number): string {
  const metric = COMPARE_METRICS[metricIndex]!;
  const scale =
    metric.unit === 'µs' ? 1000 : metric.id === 'errorShare' ? 0.01 : metric.id === 'serverRssBytes' ? 1024 ** 2 : 1;
  const axis =
    metric.unit === 'µs'
      ? 'ms'
      : metric.id === 'errorShare'
        ? '%'
        : metric.id === 'serverRssBytes'
          ? 'MiB'
          : metric.unit;
  const rows: ChartRow[] = [];
  for (const cell of group.cells) {
    const m = cell.metrics.find((x) => x.metric === metric.id);
    if (!m || m.base === null || m.head === null) continue;
    const bar = (side: 'base' | 'head') => {
      const e = m[side]!;
      return {
        series: side,
        value: e.median / scale,
        ci: e.ci95 === null ? null : ([e.ci95[0] / scale, e.ci95[1] / scale] as const),
        text: `${side} ${estimateText(m.metric, e)}`,
      };
    };
    rows.push({
      name: cell.name,
      flagged: m.verdict === 'regressed',
      note: m.reason,
      bars: [bar('base'), bar('head')],
    });
  }
  if (rows.length === 0) return '';
  const svg = barChartSvg({
    title: `${metric.label}, ${group.title}: base vs head medians (whiskers: ${roundsIntervalText(groupRounds(group))})`,
    axisLabel: `${metric.label}, ${axis} (median over rounds; whiskers: ${roundsIntervalText(groupRounds(group))})`,
    rows,
  });
  return `<figure class="chart-figure" data-metric="${metric.id}"><figcaption>${escapeHtml(metric.label)} ${legend}</figcaption>\n${svg}\n</figure>`;
}

function table(group: ComparisonGroup): string {
  const columns = compareColumns(groupRounds(group));
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`)
    .join('');
  const rows = group.cells.flatMap((cell) =>
    cell.metrics.map((m) => {
      const tds = columns.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.value(cell.name, m))}</td>`);
      return `<tr class="${m.verdict === 'regressed' ? 'regressed' : ''}" data-adapter="${escapeHtml(cell.name)}" data-metric="${m.metric}">${tds.join('')}</tr>`;
    }),
  );
  return `<div class="table-wrap"><table class="compare">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
}

function groupSection(group: ComparisonGroup, i: number): string {
  const charts = COMPARE_METRICS.map((_, k) => metricChart(group, k)).filter(Boolean);
  const spectra = group.cells
    .map((cell) => {
      const svg = spectrumSvg(
        `Latency percentile spectrum, ${cell.title}: base and head, every response`,
        cell.spectrum,
      );
      return svg === ''
        ? ''
        : `<figure class="chart-figure spectrum-figure"><figcaption>Latency spectrum: ${escapeHtml(cell.name)} ${legend}</figcaption>\n${svg}\n</figure>`;
    })
    .filter(Boolean);
  return [
    `<section class="result" id="group-${i + 1}">`,
    `<h3>${escapeHtml(group.title)}</h3>`,
    table(group),
    `<div class="charts">\n${charts.join('\n')}\n</div>`,
    spectra.length > 0
      ? `<h4>Latency percentile spectrum</h4>\n<div class="charts">\n${spectra.join('\n')}\n</div>`
      : '',
    '</section>',
  ].join('\n');
}

export function renderCompareHtml(c: Comparison): string {
  const env = c.environment.differences.map(
    (d) =>
      `<tr><th scope="row">${escapeHtml(d.label)}</th><td>${escapeHtml(d.base)}</td><td>${escapeHtml(d.head)}</td></tr>`,
  );
  const body = [
    `<header>\n<h1>jobbench compare</h1>\n<p>${escapeHtml(sidesLine(c))}</p>\n</header>`,
    `<p class="verdict ${c.passed ? 'pass' : 'regressed'}" role="status">${escapeHtml(c.headline)}</p>`,
    c.environment.note
      ? `<p class="banner"${c.environment.advisory ? ' role="alert"' : ''}>${escapeHtml(c.environment.note)}</p>`
      : '',
    env.length > 0
      ? `<section id="environment">\n<h2>Environment differences</h2>\n<div class="table-wrap"><table class="kv"><thead><tr><th></th><th>base</th><th>head</th></tr></thead><tbody>\n${env.join('\n')}\n</tbody></table></div>\n</section>`
      : '',
    `<section id="cells">\n<h2>Cells</h2>`,
    ...c.groups.map(groupSection),
    '</section>',
    unmatchedLines(c).length > 0
      ? `<section id="unmatched">\n<h2>Not compared</h2>\n<ul>${unmatchedLines(c)
          .map((l) => `<li>${escapeHtml(l)}</li>`)
          .join('')}</ul>\n</section>`
      : '',
    `<section id="how-to-read">\n<h2>How to read this</h2>\n<p class="prose">Bars are medians over rounds, whiskers their intervals (a 95% bootstrap interval from 5 rounds, the range of the rounds below, as each table's header says); grey is base, blue is head. A check is <strong>regressed</strong> only when the interval of head/base excludes no change, the Mann–Whitney rank test agrees (p &lt; 0.05), and the change passes the practical threshold. The spectrum merges every round's HDR histogram per side: the x axis spaces 90%, 99%, 99.9% … evenly, so the tail gets as much room as the body. See docs/readme/compare.md.</p>\n</section>`,
  ].filter(Boolean);
  return htmlPage(`jobbench compare: ${c.base.runId} vs ${c.head.runId}`, body, EXTRA_CSS);
}
