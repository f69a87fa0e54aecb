import type { Results } from '../results/types.ts';

/**
 * `--contract warn`: the targets measured although they differ from the job API contract, each with
 * what differs (from its cells' contractDifferences), so a reader sees beside the tables what the
 * numbers are of. Null when no target differs.
 */
export function contractDifferences(results: Results): { target: string; url: string; differences: string[] }[] | null {
  const seen = new Map<string, { target: string; url: string; differences: string[] }>();
  for (const c of results.cells)
    if (c.contractDifferences?.length && !seen.has(c.adapter))
      seen.set(c.adapter, { target: c.adapter, url: c.targetUrl ?? '', differences: c.contractDifferences });
  return seen.size === 0 ? null : [...seen.values()];
}

const INTRO =
  'Measured with --contract warn: these targets answer the routes the scenarios use with the statuses they expect, but differ from the job API contract elsewhere.';

export function renderContractDifferencesMarkdown(results: Results): string | null {
  const all = contractDifferences(results);
  if (!all) return null;
  return [
    '## Contract differences',
    INTRO,
    ...all.map((t) => `**${t.target}** (${t.url}):\n\n${t.differences.map((d) => `- ${d}`).join('\n')}`),
  ].join('\n\n');
}

export function renderContractDifferencesTerminal(results: Results): string | null {
  const all = contractDifferences(results);
  if (!all) return null;
  return [
    'contract differences (--contract warn)',
    ...all.map((t) => `${t.target} (${t.url}):\n${t.differences.map((d) => `  - ${d}`).join('\n')}`),
  ].join('\n');
}
