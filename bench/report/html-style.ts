/**
 * The report's whole stylesheet, inlined in the page: no external fonts or files, so `report.html`
 * reads the same offline, attached to an email or opened from a CI artifact. System fonts only.
 * Chart colours are CSS variables so the inline SVGs follow the light or dark scheme.
 */
export const HTML_REPORT_CSS = `
:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --border: #d1d9e0;
  --accent: #0969da; --ok: #1a7f37; --bad: #cf222e; --warn-bg: #fff8c5; --warn-border: #d4a72c;
  --rps: #3b82c4; --p50: #8fc1ea; --p99: #1f4e79; --whisker: #1f2328;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --border: #3d444d;
    --accent: #4493f8; --ok: #3fb950; --bad: #f85149; --warn-bg: #3b2e00; --warn-border: #9e6a03;
    --rps: #4a9ee0; --p50: #9ccbf2; --p99: #3f7fc0; --whisker: #e6edf3;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.55em; margin: 0 0 .4em; overflow-wrap: anywhere; }
h2 { font-size: 1.3em; border-bottom: 1px solid var(--border); padding-bottom: .2em; margin: 2em 0 .6em; }
h3 { font-size: 1.05em; margin: 2em 0 .5em; overflow-wrap: anywhere; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 10px 12px;
  overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 40em; }
.meta { display: flex; flex-wrap: wrap; gap: 2px 28px; margin: 0; }
.meta div { display: flex; gap: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.status { font-weight: 600; padding: 0 8px; border-radius: 10px; border: 1px solid currentColor; }
.status-complete { color: var(--ok); }
.status-aborted { color: #fff; background: var(--bad); border-color: var(--bad); }
.banner { background: var(--warn-bg); border: 1px solid var(--warn-border); border-radius: 6px; padding: 10px 14px; margin: 16px 0; }
.toc ol { margin: .3em 0; padding-left: 1.6em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 14px; }
th, td { border: 1px solid var(--border); padding: 4px 9px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
tbody th { white-space: nowrap; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.flags:not(:empty) { color: var(--bad); font-weight: 600; }
/* #22: at 1280 px every column stays visible (flags, generator, ceiling, why): numbers wrap between a value and its interval */
table.results th.num, table.results td.num, table.compare th.num, table.compare td.num { white-space: normal; }
table.compare td:last-child { min-width: 14em; }
table.kv th { white-space: nowrap; }
.charts { display: grid; gap: 14px; margin: 10px 0 6px; }
.chart-figure { margin: 0; max-width: 760px; overflow-x: auto; }
.chart-figure figcaption { font-weight: 600; font-size: 13px; }
.legend { font-weight: normal; color: var(--muted); margin-left: 10px; }
.key { margin-right: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; vertical-align: -1px; }
span.bar-rps { background: var(--rps); } span.bar-p50 { background: var(--p50); } span.bar-p99 { background: var(--p99); }
svg.chart { display: block; width: 100%; min-width: 540px; height: auto; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .band { fill: var(--panel); }
svg .grid { stroke: var(--border); stroke-width: 1; }
svg .tick, svg .axis-label { fill: var(--muted); font-size: 11px; }
svg .name, svg .value { fill: var(--fg); }
svg .value { font-size: 11.5px; font-variant-numeric: tabular-nums; }
svg .bar-rps { fill: var(--rps); } svg .bar-p50 { fill: var(--p50); } svg .bar-p99 { fill: var(--p99); }
svg .bar.flagged { fill-opacity: .35; stroke: var(--bad); stroke-width: 1; stroke-dasharray: 3 2; }
svg .whisker { stroke: var(--whisker); stroke-width: 1.4; fill: none; }
svg .whisker-halo { stroke: var(--bg); stroke-width: 3.4; stroke-opacity: .8; fill: none; }
svg .reference { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 5 3; }
svg .reference-label { fill: var(--bad); font-size: 11px; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--accent); }
.prose { max-width: 82ch; }
footer { margin-top: 3em; padding-top: 8px; border-top: 1px solid var(--border); color: var(--muted); font-size: 12px; }
`;
