/**
 * What the lazy-sweeping rule (bench/instructions/verdict.ts: a verdict the sweeping alone decides is
 * inconclusive) does to the instruction verdicts of real gates, against the rule it replaced (sweeping
 * ignored). Reads the results files a calibration kept (<dir>/<gate>/results.json, scripts/gate-calibration.ts
 * --scratch), and judges each gate's counts twice, as they were (A/A: a "regressed" or "improved" is false)
 * and with +PCT% added to the head's figure (the sweeping, placed by timing, unchanged): the work a
 * regression of that size adds, on the starts those gates really counted. Prints Markdown.
 *
 *   npx tsx scripts/instructions-sweep-rule.ts <scratch-dir> [pct=1.0] [thresholdPct=0.5]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioVerdict } from '../bench/instructions/verdict.ts';
import type { Instructions, ScenarioInstructions, SideCount } from '../bench/results/instructions.ts';
import { readResults } from '../bench/results/io.ts';
import { binomialUpperBound, clopperPearson } from '../bench/stats/binomial.ts';

const [dir, pctArg = '1.0', thresholdArg = '0.5'] = process.argv.slice(2);
if (!dir) throw new Error('usage: instructions-sweep-rule.ts <scratch-dir> [pct] [thresholdPct]');
const pct = Number(pctArg);
const threshold = Number(thresholdArg);

const withoutSweep = ({ sweepIrPerRequest: _, ...c }: SideCount): SideCount => c;
const plus = (c: SideCount, p: number): SideCount => {
  const ir = c.irPerRequest.map((v) => v * (1 + p / 100));
  return {
    ...c,
    irPerRequest: ir,
    medianIrPerRequest: c.medianIrPerRequest * (1 + p / 100),
    minIrPerRequest: Math.min(...ir),
    maxIrPerRequest: Math.max(...ir),
  };
};

type Judged = { gate: string; scenario: string; swept: string; aa: [string, string]; injected: [string, string] };
const rows: Judged[] = [];
for (const gate of readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
  let counts: Instructions | undefined;
  try {
    const r = await readResults(join(dir, gate, 'results.json'));
    counts = (r.extra?.gate as { instructions?: { counts: Instructions } } | undefined)?.instructions?.counts;
  } catch {
    continue; // not a finished gate
  }
  if (counts?.status !== 'counted') continue;
  for (const s of counts.scenarios) {
    if (!s.base.sweepIrPerRequest || !s.head.sweepIrPerRequest) continue; // counted before 2026-12-08
    const both = (x: ScenarioInstructions): [string, string] => [
      scenarioVerdict({ ...x, base: withoutSweep(x.base), head: withoutSweep(x.head) }, threshold).verdict,
      scenarioVerdict(x, threshold).verdict,
    ];
    rows.push({
      gate,
      scenario: s.scenario,
      swept: `${s.base.sweepIrPerRequest.join(', ')} / ${s.head.sweepIrPerRequest.join(', ')}`,
      aa: both(s),
      injected: both({ ...s, head: plus(s.head, pct) }),
    });
  }
}

const share = (k: number, n: number) => {
  const [lo, hi] = clopperPearson(k, n);
  return `${k} / ${n} (${((100 * k) / n).toFixed(0)}%; 95% ${(100 * lo).toFixed(0)}–${(100 * hi).toFixed(0)}%)`;
};
const out = [
  `# The lazy-sweeping rule on ${new Set(rows.map((r) => r.gate)).size} gates' instruction counts (${dir})`,
  '',
  `Threshold ±${threshold}%; "+${pct}%": the head's figure × ${1 + pct / 100}, its sweeping unchanged.`,
  '',
  '| gate | scenario | lazy sweeping base / head | A/A: sweeping ignored | A/A: rule | +' +
    pct +
    '%: sweeping ignored | +' +
    pct +
    '%: rule |',
  '| :-- | :-- | :-- | :-- | :-- | :-- | :-- |',
  ...rows.map(
    (r) => `| ${r.gate} | ${r.scenario} | ${r.swept} | ${r.aa[0]} | ${r.aa[1]} | ${r.injected[0]} | ${r.injected[1]} |`,
  ),
  '',
  '| scenario | rule | A/A false (regressed or improved) | +' + pct + '% caught (regressed) |',
  '| :-- | :-- | :-- | :-- |',
];
for (const scenario of [...new Set(rows.map((r) => r.scenario))])
  for (const [k, rule] of [
    [0, 'sweeping ignored'],
    [1, 'sweeping decides nothing'],
  ] as const) {
    const set = rows.filter((r) => r.scenario === scenario);
    const wrong = set.filter((r) => r.aa[k] === 'regressed' || r.aa[k] === 'improved').length;
    const caught = set.filter((r) => r.injected[k] === 'regressed').length;
    out.push(
      `| ${scenario} | ${rule} | ${wrong} / ${set.length} (≤ ${(100 * binomialUpperBound(wrong, set.length)).toFixed(1)}%, 95%) | ${share(caught, set.length)} |`,
    );
  }
console.log(out.join('\n'));
