import { escapeHtml } from './html-escape.ts';
import { HTML_REPORT_CSS } from './html-style.ts';

// Self-contained pages: no script, no external resource; the CSP says so to the browser.
const CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** A whole self-contained HTML page around `body` (its sections), with the report stylesheet. */
export function htmlPage(title: string, body: readonly string[], extraCss = ''): string {
  return (
    [
      '<!doctype html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="generator" content="jobbench">',
      `<title>${escapeHtml(title)}</title>`,
      `<style>${HTML_REPORT_CSS}${extraCss}</style>`,
      '</head>',
      '<body>',
      '<main>',
      ...body,
      '</main>',
      '</body>',
      '</html>',
    ].join('\n') + '\n'
  );
}
