import { formatDurationRange } from '../bench/host/progress.ts';
import { targetDbConnections } from '../bench/targets/workers.ts';
import { RUN_COSTS } from '../bench/schedule/costs.ts';
import { scheduleCost, totalOf, type PlanPart, type Schedule } from '../bench/schedule/estimate.ts';
import { dbCeilingCells } from '../bench/ceilings/fraction.ts';
import type { TargetSpec } from '../bench/targets/spec.ts';

/**
 * `--dry-run`: the plan a benchmark would run and what it would cost, printed before anything starts
 * (no database, server or load tool). The duration is an estimate from the plan (bench/schedule/
 * estimate.ts, with the measured costs of bench/schedule/costs.ts), not a measurement: a window costs
 * its warm-up and measured seconds plus what happens around it, each server start a few seconds, and a
 * disturbed window is measured again (not counted here: it depends on the machine). Parts decided while
 * running (capacity levels, a gate's extra rounds) give a range.
 */
export const DRY_RUN_FLAGS = { 'dry-run': { type: 'boolean' } } as const;
export const DRY_RUN_HELP = `  --dry-run           print the plan (rounds, targets, loads, windows) and its estimated duration, start nothing`;

/** The target's name, with the factors that tell two of its cells apart (pool, latency, workers). */
function nameOf(t: TargetSpec): string {
  const parts = [t.adapter];
  if (t.kind === 'external') parts.push(t.url);
  if (t.dbLatencyMs !== undefined) parts.push(`+${t.dbLatencyMs} ms`);
  if ('side' in t) parts.push(`(${String(t.side)})`);
  return parts.join(' ');
}

/** Targets by name, with their pool and route where names alone would repeat (a sweep's pool sizes). */
function namesOf(targets: readonly TargetSpec[]): string[] {
  const names = targets.map(nameOf);
  if (new Set(names).size === names.length) return names;
  const differ = (f: (t: TargetSpec) => unknown) => new Set(targets.map(f)).size > 1;
  return targets.map(
    (t, i) =>
      `${names[i]}${differ((x) => x.poolMax) ? ` pool ${t.poolMax}` : ''}${differ((x) => x.via) ? ` via ${t.via}` : ''}`,
  );
}

const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A list on lines of at most 120 columns, the first after `head`, the others indented under it. */
function wrapList(head: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [i, item] of items.entries()) {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (i > 0 && line.length + 1 + piece.length > 120) {
      lines.push(line);
      line = `${' '.repeat(head.length)}${piece}`;
    } else line = i === 0 ? `${head}${piece}` : `${line} ${piece}`;
  }
  return [...lines, line];
}

/**
 * A line cut at single spaces into lines of at most 120 columns, the continuations indented by `indent`.
 * Unlike wrapText (bench/report/text-table.ts) it keeps runs of spaces, which align the plan's columns.
 */
function wrapWords(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<=\S) (?=\S)/)) {
    if (line !== '' && line.length + 1 + word.length > 120) {
      lines.push(line);
      line = `${' '.repeat(indent)}${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/**
 * The plan in a few lines, the estimated total last: `head` says what is measured, the parts what it
 * costs. Pure.
 */
export function planText(
  kind: string,
  head: string,
  targets: readonly TargetSpec[],
  loads: readonly string[],
  parts: readonly PlanPart[],
  opts: { embeddedDb: boolean },
): string {
  const all: PlanPart[] = [
    ...parts,
    ...(opts.embeddedDb
      ? [{ what: 'the embedded database (initdb, start, seed)', seconds: RUN_COSTS.embeddedDbS }]
      : []),
  ];
  return [
    ...wrapWords(`plan (${kind}): ${head}`, 2),
    ...wrapList('  targets: ', namesOf(targets)),
    ...wrapList('  loads:   ', loads),
    '  time:',
    ...all.flatMap((p) => wrapWords(`    ~${formatDurationRange(p.seconds, p.upToS)}  ${p.what}`, 6)),
    '    (disturbed windows measured again add to it)',
    `dry run: nothing started; estimated total ${formatDurationRange(...totalOf(all))}`,
  ].join('\n');
}

/** Each load as "scenario N conn" or "scenario R req/s". */
export const loadNames = (b: Pick<Schedule, 'loads'>) =>
  b.loads.map((l) => `${l.scenario} ${l.rate !== undefined ? `${l.rate} req/s` : `${l.connections} conn`}`);

/** The plan of one interleaved benchmark (run, sweep): its windows, server starts and ceilings. */
export function dryRunText(kind: string, b: Schedule, opts: { ceilings: boolean; embeddedDb: boolean }): string {
  const tools = Math.max(1, b.runners?.length ?? 1);
  const cost = scheduleCost(b);
  const c = RUN_COSTS; // the progress line's time left counts down from the same figures
  const dbCells = dbCeilingCells(
    b.loads,
    b.targets.map((t) => targetDbConnections(t)),
  );
  const parts: PlanPart[] = [
    {
      what: `${n(cost.windows, 'window')} (each with ~${c.betweenWindowsS} s around it: probes, figures, restores)`,
      seconds: cost.windowsS,
    },
    { what: n(cost.starts, 'server start'), seconds: cost.startsS },
    ...(opts.ceilings
      ? [
          {
            what: `ceilings: HTTP${tools > 1 ? ` × ${tools} tools` : ''}, database × ${dbCells.length}`,
            seconds: c.httpCeilingS * tools + c.dbCeilingS * dbCells.length,
          },
        ]
      : []),
  ];
  const head = `${n(b.rounds, 'round')} × ${n(b.targets.length, 'target')} × ${n(b.loads.length, 'load')}${tools > 1 ? ` × ${tools} tools` : ''} = ${n(cost.windows, 'window')} of ${b.settings.warmupS} s warm-up + ${b.settings.durationS} s measured`;
  return planText(kind, head, b.targets, loadNames(b), parts, opts);
}

/** Prints the plan; the command then exits 0 without starting anything. */
export function printDryRun(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

/** Whether the run starts its own embedded PostgreSQL (--db embedded, or auto without DATABASE_URL). */
export function startsEmbeddedDb(db: string, databaseUrl: string | undefined): boolean {
  return db === 'embedded' || (db === 'auto' && databaseUrl === undefined);
}
