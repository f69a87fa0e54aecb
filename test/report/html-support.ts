import { readFileSync } from 'node:fs';
import type { Cell, Results } from '../../bench/results/types.ts';

/** Results shared by the HTML report tests: the small fixture, and variants of it. */

const fixtureText = readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8');
export const fixture = (): Results => JSON.parse(fixtureText) as Results;

/** Strings a results file may carry that would run code, or break out of a tag, if not escaped. */
export const HOSTILE = {
  adapter: '<script>alert(1)</script>',
  label: '"><img src=x onerror=alert(2)>',
  scenario: 'health</style><script>alert(3)</script>',
  runId: 'run<script>alert(4)</script>',
  arg: "--label=<script>alert('5')</script>",
  config: '</code></pre><script>alert(6)</script>',
  cpuModel: '"><svg onload=alert(7)>',
  extraKey: '<b onmouseover=alert(8)>key</b>',
  extraValue: '</code></pre><iframe src="javascript:alert(9)"></iframe>',
  error: '<script>alert(10)</script> & "stopped"',
} as const;

/** The fixture with every free-text field replaced by a hostile string, and an aborted status. */
export function hostileResults(): Results {
  const results = fixture();
  const firstScenario = results.cells[0]!.scenario;
  results.cells[0]!.adapter = HOSTILE.adapter;
  results.cells[1]!.label = HOSTILE.label;
  for (const cell of results.cells) if (cell.scenario === firstScenario) cell.scenario = HOSTILE.scenario;
  results.runId = HOSTILE.runId;
  results.command = [...results.command, HOSTILE.arg];
  results.config = { ...results.config, note: HOSTILE.config };
  results.environment.cpuModel = HOSTILE.cpuModel;
  results.status = 'aborted';
  results.extra = { [HOSTILE.extraKey]: HOSTILE.extraValue, error: HOSTILE.error };
  return results;
}

/** The fixture plus a k6 open-model copy of its first scenario (ranked by p99, with a target rate). */
export function withK6Cells(): Results {
  const results = fixture();
  const base = results.cells.filter((c) => c.scenario === results.cells[0]!.scenario);
  const k6: Cell[] = base.map((c, i) => ({
    ...structuredClone(c),
    tool: 'k6',
    targetRate: 500,
    achievedRate: i === 0 ? 431.5 : 499.8,
    droppedIterations: i === 0 ? 1234 : 0,
    invalidForLatency: i === 0,
    sloPassed: i !== 0,
  }));
  results.cells = [...results.cells, ...k6];
  return results;
}
