/**
 * The instructions verdict calibrated from server starts counted one by one (scripts/instructions-aa.ts):
 * a build A counted in n starts, a build B (the same with JOBBENCH_INJECT_WORK, say) in m starts. Every
 * gate the verdict could meet is formed from those starts — base and head sides of k starts each, drawn
 * without sharing a start — and judged by the gate's own rule (bench/instructions/verdict.ts):
 *
 *   A/A:       both sides from A's starts: any "regressed" or "improved" is a false alarm
 *   injected:  base from A, head from B: the share judged "regressed" is the detection rate
 *
 * The gates formed this way share starts, so they are not independent: the rates describe how the
 * verdict treats these starts, and the per-start spread is the figure that generalises. The last table
 * forms independent one-start gates instead (no start used twice: A's i-th start against B's i-th; A/A from
 * A's starts two by two), with a 95% Clopper–Pearson interval or upper bound. Prints Markdown.
 *
 *   npx tsx scripts/instructions-calibration.ts <a.json> <b.json> [thresholdPct=0.5] [k=1,2]
 */
import { readFileSync } from 'node:fs';
import { sideCount } from '../bench/instructions/count-sides.ts';
import { scenarioVerdict } from '../bench/instructions/verdict.ts';
import { binomialUpperBound, clopperPearson } from '../bench/stats/binomial.ts';

type Row = { start: number; scenario: string; total: number; jit: number };
type Counted = { starts: number; warmup: number; requests: number; env: Record<string, string>; rows: Row[] };

const [aPath, bPath, thresholdArg, kArg] = process.argv.slice(2);
if (!aPath || !bPath) throw new Error('usage: instructions-calibration.ts <a.json> <b.json> [thresholdPct] [k,…]');
/** A results file of instructions-aa.ts, or its log (the per-start lines, for a run stopped early). */
function read(path: string): Counted {
  const text = readFileSync(path, 'utf8');
  if (text.trimStart().startsWith('{')) return JSON.parse(text) as Counted;
  const rows: Row[] = [];
  for (const m of text.matchAll(/^start (\d+) (\S+): (\d+) counted, compiling (\d+), GC (\d+)/gm))
    rows.push({
      start: Number(m[1]),
      scenario: m[2]!,
      total: Number(m[3]) + Number(m[4]) + Number(m[5]),
      jit: Number(m[4]) + Number(m[5]),
    });
  const header = /^# (\{.*\})$/m.exec(text);
  const meta = header
    ? (JSON.parse(header[1]!) as Omit<Counted, 'rows' | 'starts'>)
    : { warmup: NaN, requests: NaN, env: {} };
  return { ...meta, starts: new Set(rows.map((r) => r.start)).size, rows };
}
const a = read(aPath);
const b = read(bPath);
const threshold = Number(thresholdArg ?? 0.5);
const ks = (kArg ?? '1,2').split(',').map(Number);

/** The gate's figure of one start: the count less V8's compiling and collecting (instructions-aa.ts's "counted"). */
const counted = (c: Counted, scenario: string) =>
  c.rows.filter((r) => r.scenario === scenario).map((r) => r.total - r.jit);

/** Every way to pick k of the indexes 0..n-1 (in order). */
function choose(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let i = 0; i < n; i++) for (const rest of choose(n, k - 1)) if (rest.every((r) => r > i)) out.push([i, ...rest]);
  return out;
}

/** The gate's instructions verdict (bench/instructions/verdict.ts) for these starts of base and head. */
const verdictOf = (scenario: string, base: number[], head: number[]) =>
  scenarioVerdict({ scenario, base: sideCount(base), head: sideCount(head), bySelf: [], byInclusive: [] }, threshold)
    .verdict;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const lines: string[] = [
  `# Instructions per request: the verdict calibrated from single starts`,
  '',
  `A: ${a.starts} starts${Object.keys(a.env).length ? ` with ${JSON.stringify(a.env)}` : ''}; B: ${b.starts} starts with ${JSON.stringify(b.env)}; ` +
    `${a.warmup} warm-up + ${a.requests} counted requests per scenario; threshold ±${threshold}%.`,
  '',
  '| scenario | A: counted instructions/request over its starts | B over its starts | B ÷ A (medians) |',
  '|---|---|---|---|',
];
const scenarios = [...new Set(a.rows.map((r) => r.scenario))];
const med = (xs: number[]) => sideCount(xs).medianIrPerRequest;
for (const s of scenarios) {
  const xa = counted(a, s);
  const xb = counted(b, s);
  const span = (xs: number[]) =>
    `${Math.min(...xs).toLocaleString('en-US')} … ${Math.max(...xs).toLocaleString('en-US')} (range ${((Math.max(...xs) / Math.min(...xs) - 1) * 100).toFixed(2)}%)`;
  lines.push(`| ${s} | ${span(xa)} | ${span(xb)} | ${((med(xb) / med(xa) - 1) * 100).toFixed(2)}% |`);
}
lines.push(
  '',
  '| scenario | starts per side | A/A gates | false alarms | B vs A gates | regressed | same | inconclusive | improved |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
);
for (const s of scenarios) {
  const xa = counted(a, s);
  const xb = counted(b, s);
  for (const k of ks) {
    const judge = (base: number[], head: number[]) => verdictOf(s, base, head);
    // A/A: two disjoint sets of k starts of A (each unordered pair of sets once per order: base/head both ways)
    let aa = 0;
    let falseAlarms = 0;
    for (const base of choose(xa.length, k))
      for (const head of choose(xa.length, k)) {
        if (head.some((h) => base.includes(h))) continue;
        aa++;
        const v = judge(
          base.map((i) => xa[i]!),
          head.map((i) => xa[i]!),
        );
        if (v === 'regressed' || v === 'improved') falseAlarms++;
      }
    const tally = { regressed: 0, same: 0, inconclusive: 0, improved: 0 };
    let ab = 0;
    for (const base of choose(xa.length, k))
      for (const head of choose(xb.length, k)) {
        ab++;
        tally[
          judge(
            base.map((i) => xa[i]!),
            head.map((i) => xb[i]!),
          )
        ]++;
      }
    lines.push(
      `| ${s} | ${k} | ${aa} | ${falseAlarms} (${pct(falseAlarms / aa)}) | ${ab} | ${tally.regressed} (${pct(tally.regressed / ab)}) | ${tally.same} | ${tally.inconclusive} | ${tally.improved} |`,
    );
  }
}
lines.push(
  '',
  "Independent one-start gates (no start used twice): B vs A pairs A's i-th start with B's i-th; A/A pairs A's",
  'starts 1–2, 3–4, … Rates with their 95% Clopper–Pearson interval (detection) or one-sided upper bound (false alarms).',
  '',
  '| scenario | B vs A gates | regressed | detection rate (95% CI) | A/A gates | false alarms | rate ≤ (95%) |',
  '|---|---:|---:|---|---:|---:|---:|',
);
for (const s of scenarios) {
  const xa = counted(a, s);
  const xb = counted(b, s);
  const judge = (base: number, head: number) => verdictOf(s, [base], [head]);
  const n = Math.min(xa.length, xb.length);
  const caught = Array.from({ length: n }, (_, i) => judge(xa[i]!, xb[i]!)).filter((v) => v === 'regressed').length;
  const pairs = Math.floor(xa.length / 2);
  const wrong = Array.from({ length: pairs }, (_, i) => judge(xa[2 * i]!, xa[2 * i + 1]!)).filter(
    (v) => v === 'regressed' || v === 'improved',
  ).length;
  const [lo, hi] = n ? clopperPearson(caught, n) : [NaN, NaN];
  lines.push(
    `| ${s} | ${n} | ${caught} | ${n ? `${pct(caught / n)} (${pct(lo)} … ${pct(hi)})` : '–'} | ${pairs} | ${wrong} | ${pairs ? pct(binomialUpperBound(wrong, pairs)) : '–'} |`,
  );
}
console.log(lines.join('\n'));
