import type { Cell, Results } from '../results/types.ts';
import { usableRound } from '../results/validity.ts';
import { diffEnvironments, type EnvironmentDiff } from './environment-diff.ts';
import { cellName, cellTitle, groupKey, groupTitle } from '../schedule/cell.ts';
import { hasSides, matchCells, splitSides, type CellIdentity, type CellPair } from './identity.ts';
import { latencySpectrum, type Spectrum } from './spectrum.ts';
import { defaultThresholds, type Thresholds } from './thresholds.ts';
import { compareMetrics, type CompareOptions } from './cell-metrics.ts';
import { familyOf, holmHeldBack, type HeldBack } from './family.ts';
import { headlineOf, SEVERITY, worst, type Overall, type Regression } from './overall.ts';
import type { MetricComparison, Verdict } from './verdict.ts';

/**
 * The comparison engine: two results files (or one gate file holding both sides) in, one model out.
 * Every renderer (terminal, Markdown, JUnit, BMF, github-action-benchmark, HTML) reads this model and
 * nothing else; `jobbench compare --json` prints it as is.
 */

export interface RunRef {
  runId: string;
  gitCommit: string | null;
  startedAt: string;
}

export interface CellComparison {
  key: string;
  identity: CellIdentity;
  name: string; // adapter (label)
  title: string; // the cell on its own: name · scenario · load shape
  paired: boolean; // rounds paired by number (one interleaved run)
  notes: string[]; // why some numbers need care (generator-bound, invalid for latency)
  metrics: MetricComparison[];
  verdict: Verdict; // the worst of its metrics
  spectrum: { base: Spectrum | null; head: Spectrum | null };
}

export interface ComparisonGroup {
  title: string;
  scenario: string;
  ranking: 'throughput' | 'latency'; // as bench/report: slowest first by req/s, or by p99 at a fixed rate
  cells: CellComparison[];
}

export interface Comparison {
  base: RunRef;
  head: RunRef;
  sameRun: boolean;
  overall: Overall;
  passed: boolean; // false only when something regressed
  headline: string; // the verdict first, in one line
  counts: Record<Verdict, number>; // over cell × metric
  regressions: Regression[];
  environment: EnvironmentDiff;
  groups: ComparisonGroup[];
  onlyBase: CellIdentity[];
  onlyHead: CellIdentity[];
  duplicates: CellIdentity[];
  thresholds: Thresholds;
}

export type { CompareOptions } from './cell-metrics.ts';

/** Input that cannot be compared (no common cell, a gate file without both sides); the CLI exits 2. */
export class CompareInputError extends Error {
  override name = 'CompareInputError';
}

function notesOf(base: Cell, head: Cell): string[] {
  const notes: string[] = [];
  for (const [side, cell] of [
    ['base', base],
    ['head', head],
  ] as const) {
    const left = cell.rounds.filter((r) => !usableRound(r));
    if (left.length > 0)
      notes.push(
        `${side}: ${left.length} of ${cell.rounds.length} rounds left out (${left.map((r) => (r.validity?.invalid ? `round ${r.round} invalid` : `round ${r.round} disturbed`)).join(', ')})`,
      );
    if (cell.rounds.some((r) => r.generatorBound)) notes.push(`${side} generator-bound: req/s is a floor`);
    if (cell.invalidForLatency === true || (cell.droppedIterations ?? 0) > 0)
      notes.push(`${side} invalid for latency (dropped iterations)`);
  }
  return notes;
}

function compareCell(
  pair: CellPair,
  sameRun: boolean,
  options: CompareOptions & { thresholds: Thresholds },
): CellComparison {
  // Paired inside one interleaved run, however few pairs are usable: the paired rule says what too few can tell.
  const paired = sameRun;
  const metrics = compareMetrics(pair, paired, options);
  return {
    key: JSON.stringify(pair.identity),
    identity: pair.identity,
    name: cellName(pair.identity),
    title: cellTitle(pair.identity),
    paired,
    notes: notesOf(pair.base, pair.head),
    metrics,
    // Every round of a side invalid or disturbed: its timed metrics are inconclusive (its notes say why).
    verdict: metrics.length === 0 ? 'inconclusive' : worst(metrics.map((m) => m.verdict)),
    spectrum: {
      base: latencySpectrum(pair.base.rounds.map((r) => r.histogram)),
      head: latencySpectrum(pair.head.rounds.map((r) => r.histogram)),
    },
  };
}

/**
 * Every cell of a comparison. Paired (one gate file), the timed checks of all cells are one family:
 * the rows Holm's step-down does not reject are judged again at the level they had to beat (family.ts).
 */
function compareCells(
  pairs: readonly CellPair[],
  sameRun: boolean,
  options: CompareOptions & { thresholds: Thresholds },
): CellComparison[] {
  const cells = pairs.map((pair) => compareCell(pair, sameRun, options));
  if (!sameRun || (options.paired?.family ?? 'holm') !== 'holm') return cells;
  const held = holmHeldBack(familyOf(cells.map((c) => c.metrics)));
  if (held.length === 0) return cells;
  const byCell = new Map<number, Map<string, HeldBack>>();
  for (const h of held) byCell.set(h.cell, (byCell.get(h.cell) ?? new Map()).set(h.metric, h));
  return cells.map((cell, i) =>
    byCell.has(i) ? compareCell(pairs[i]!, sameRun, { ...options, heldBack: byCell.get(i)! }) : cell,
  );
}

function groupCells(pairs: readonly CellPair[], cells: readonly CellComparison[]): ComparisonGroup[] {
  const groups = new Map<string, { pairs: CellPair[]; cells: CellComparison[] }>();
  pairs.forEach((pair, i) => {
    const key = groupKey(pair.identity);
    const group = groups.get(key) ?? { pairs: [], cells: [] };
    group.pairs.push(pair);
    group.cells.push(cells[i]!);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ pairs: ps, cells: cs }) => {
    const identity = ps[0]!.identity;
    const ranking = identity.targetRate !== undefined ? 'latency' : 'throughput';
    const rank = (p: CellPair) =>
      ranking === 'throughput' ? p.base.summary.requestsPerSec.median : -p.base.summary.latencyUs.p99.median;
    const order = ps
      .map((p, i) => i)
      .sort((a, b) => rank(ps[a]!) - rank(ps[b]!) || cs[a]!.name.localeCompare(cs[b]!.name));
    return { title: groupTitle(identity), scenario: identity.scenario, ranking, cells: order.map((i) => cs[i]!) };
  });
}

function build(
  base: { results: Results; cells: Cell[] },
  head: { results: Results; cells: Cell[] },
  sameRun: boolean,
  options: CompareOptions,
): Comparison {
  const thresholds = options.thresholds ?? defaultThresholds();
  const match = matchCells(base.cells, head.cells);
  if (match.pairs.length === 0) {
    throw new CompareInputError(
      `no cell is in both ${sameRun ? 'sides' : 'files'} (base has ${match.onlyBase.length}, head has ${match.onlyHead.length}; cells match by every dimension of bench/schedule/cell.ts but the side: scenario, tool, load shape, think time, pool size, via, metrics mode, fault, adapter, label, processes)`,
    );
  }
  const cells = compareCells(match.pairs, sameRun, { ...options, thresholds });
  const groups = groupCells(match.pairs, cells);
  const all = cells.flatMap((c) => c.metrics);
  const counts = Object.fromEntries(SEVERITY.map((v) => [v, all.filter((m) => m.verdict === v).length])) as Record<
    Verdict,
    number
  >;
  const regressions = groups.flatMap((g) =>
    g.cells.flatMap((c) =>
      c.metrics
        .filter((m) => m.verdict === 'regressed')
        .map((m) => ({
          cell: c.title,
          short: `${c.name} ${c.identity.scenario}`,
          metric: m.metric,
          label: m.label,
          changePct: m.changePct,
          reason: m.reason,
        })),
    ),
  );
  const overall = (
    worst(all.map((m) => m.verdict)) === 'n/a' ? 'unchanged' : worst(all.map((m) => m.verdict))
  ) as Overall;
  const ref = (r: Results): RunRef => ({ runId: r.runId, gitCommit: r.environment.gitCommit, startedAt: r.startedAt });
  return {
    base: ref(base.results),
    head: ref(head.results),
    sameRun,
    overall,
    passed: overall !== 'regressed',
    headline: headlineOf(overall, counts, regressions),
    counts,
    regressions,
    environment: diffEnvironments(base.results.environment, head.results.environment, sameRun),
    groups,
    onlyBase: match.onlyBase,
    onlyHead: match.onlyHead,
    duplicates: match.duplicates,
    thresholds,
  };
}

/** Two separate results files: cells matched by identity, rounds resampled independently. */
export function compareResults(base: Results, head: Results, options: CompareOptions = {}): Comparison {
  if (hasSides(base) && base === head) return compareGateRun(base, options);
  return build({ results: base, cells: base.cells }, { results: head, cells: head.cells }, false, options);
}

/**
 * One gate file holding both sides (cells with `side`), rounds interleaved: paired by round number.
 * Unless the options say otherwise, it is judged as the gate judged it: with the thresholds, the cap
 * of looks (each look at alpha / looks) and the family rule (family.ts) the gate stored in the file.
 * Without them a reader of the file (`jobbench compare gate.json`, the calibration) tested every look at
 * 0.05 and could call "improved" what the gate itself had not.
 */
export function compareGateRun(results: Results, options: CompareOptions = {}): Comparison {
  const sides = splitSides(results);
  if (sides.base.length === 0 || sides.head.length === 0)
    throw new CompareInputError(
      `${results.runId} is not a gate run with both sides: ${sides.base.length} base and ${sides.head.length} head cells`,
    );
  const stored = results.extra?.gate as
    { looks?: number; thresholds?: Thresholds; family?: 'holm' | 'each' } | undefined;
  const thresholds = options.thresholds ?? stored?.thresholds;
  // A gate file without `family` predates Holm's rule (after calibration 2026-12-07d): its gate tested each check alone.
  const family = options.paired?.family ?? stored?.family ?? (stored ? 'each' : 'holm');
  const judged: CompareOptions = {
    ...options,
    ...(thresholds ? { thresholds } : {}),
    paired: { ...options.paired, looks: options.paired?.looks ?? stored?.looks ?? 1, family },
  };
  return build({ results, cells: sides.base }, { results, cells: sides.head }, true, judged);
}

/** A look at a gate in progress: its base/head cell pairs judged paired, without a results file. */
export function judgeGateCells(cells: readonly Cell[], options: CompareOptions = {}): CellComparison[] {
  const sides = { base: cells.filter((c) => c.side === 'base'), head: cells.filter((c) => c.side === 'head') };
  const thresholds = options.thresholds ?? defaultThresholds();
  return compareCells(matchCells(sides.base, sides.head).pairs, true, { ...options, thresholds });
}
