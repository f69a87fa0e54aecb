import type { Comparison } from './compare.ts';
import { changeText, estimateText, noteText, sidesLine, thresholdText } from './format.ts';

/**
 * JUnit XML, readable by every CI: one testsuite per scenario and load shape, one testcase per
 * cell × metric; a regression is a `<failure>`, an inconclusive or n/a check is `<skipped>`.
 */

// XML 1.0 forbids most control characters even escaped; drop them rather than emit an invalid file.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

const attr = (name: string, value: string | number) => `${name}="${escapeXml(String(value))}"`;

export function renderCompareJunit(c: Comparison): string {
  const suites = c.groups.map((group) => {
    const cases = group.cells.flatMap((cell) =>
      cell.metrics.map((m) => {
        const name = `${cell.name} · ${m.label}`;
        const detail = [
          `base ${estimateText(m.metric, m.base)}`,
          `head ${estimateText(m.metric, m.head)}`,
          `change ${changeText(m)}`,
          `p ${m.pValue === null ? '–' : m.pValue.toPrecision(3)}`,
          `threshold ${thresholdText(m)}`,
          noteText(m),
        ].join('\n');
        const open = `    <testcase ${attr('classname', `jobbench.${cell.identity.scenario}.${cell.name}`)} ${attr('name', name)} time="0">`;
        if (m.verdict === 'regressed')
          return `${open}\n      <failure ${attr('type', 'regressed')} ${attr('message', `${cell.title}: ${m.label} ${m.reason}`)}>${escapeXml(detail)}</failure>\n    </testcase>`;
        if (m.verdict === 'inconclusive' || m.verdict === 'n/a')
          return `${open}\n      <skipped ${attr('message', `${m.verdict}: ${noteText(m)}`)}/>\n    </testcase>`;
        return `${open}\n      <system-out>${escapeXml(`${m.verdict}: ${detail}`)}</system-out>\n    </testcase>`;
      }),
    );
    const metrics = group.cells.flatMap((cell) => cell.metrics);
    const failures = metrics.filter((m) => m.verdict === 'regressed').length;
    const skipped = metrics.filter((m) => m.verdict === 'inconclusive' || m.verdict === 'n/a').length;
    return [
      `  <testsuite ${attr('name', group.title)} ${attr('tests', metrics.length)} ${attr('failures', failures)} errors="0" ${attr('skipped', skipped)} time="0">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const total = Object.values(c.counts).reduce((a, b) => a + b, 0);
  const skipped = c.counts.inconclusive + c.counts['n/a'];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', `jobbench compare: ${sidesLine(c)}`)} ${attr('tests', total)} ${attr('failures', c.counts.regressed)} errors="0" ${attr('skipped', skipped)}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
