import { formatDuration } from '../bench/host/progress.ts';
import { targetDbConnections } from '../bench/targets/workers.ts';
import { RUN_COSTS } from '../bench/schedule/costs.ts';
import { dbCeilingCells } from '../bench/ceilings/fraction.ts';
import type { BenchmarkPlan } from '../bench/schedule/plan.ts';
import type { TargetSpec } from '../bench/targets/spec.ts';

/**
 * `--dry-run`: the plan a benchmark would run and what it would cost, printed before anything starts
 * (no database, server or load tool). The duration is an estimate from the plan, not a measurement: a
 * window costs its warm-up and measured seconds plus its probes, each server start a few seconds, and a
 * disturbed window is measured again (not counted here: it depends on the machine).
 */
export const DRY_RUN_FLAGS = { 'dry-run': { type: 'boolean' } } as const;
export const DRY_RUN_HELP = `  --dry-run           print the plan (rounds, targets, loads, windows) and its estimated duration, start nothing`;

type Schedule = Pick<BenchmarkPlan, 'rounds' | 'targets' | 'loads' | 'settings' | 'keepServers' | 'runners'>;

/** The target's name, with the factors that tell two of its cells apart (pool, latency, workers). */
function nameOf(t: TargetSpec): string {
  const parts = [t.adapter];
  if (t.kind === 'external') parts.push(t.url);
  if (t.dbLatencyMs !== undefined) parts.push(`+${t.dbLatencyMs} ms`);
  return parts.join(' ');
}

const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The plan in a few lines, the estimated total last. Pure. */
export function dryRunText(kind: string, b: Schedule, opts: { ceilings: boolean; embeddedDb: boolean }): string {
  const tools = Math.max(1, b.runners?.length ?? 1);
  const windows = b.rounds * b.targets.length * b.loads.length * tools;
  const windowS = b.settings.warmupS + b.settings.durationS;
  const starts = b.keepServers ? b.targets.length : windows / b.loads.length;
  const c = RUN_COSTS; // the progress line's time left counts down from the same figures
  const loadS = windows * (windowS + c.betweenWindowsS);
  const startS = starts * c.serverStartS;
  const dbCells = dbCeilingCells(
    b.loads,
    b.targets.map((t) => targetDbConnections(t)),
  );
  const ceilingS = opts.ceilings ? c.httpCeilingS * tools + c.dbCeilingS * dbCells.length : 0;
  const dbS = opts.embeddedDb ? c.embeddedDbS : 0;
  const loads = b.loads.map(
    (l) => `${l.scenario} ${l.rate !== undefined ? `${l.rate} req/s` : `${l.connections} conn`}`,
  );
  return [
    `plan (${kind}): ${n(b.rounds, 'round')} × ${n(b.targets.length, 'target')} × ${n(b.loads.length, 'load')}${tools > 1 ? ` × ${tools} tools` : ''} = ${n(windows, 'window')} of ${b.settings.warmupS} s warm-up + ${b.settings.durationS} s measured`,
    `  targets: ${b.targets.map(nameOf).join(', ')}`,
    `  loads:   ${loads.join(', ')}`,
    `  time:    windows ${formatDuration(loadS)} (each with ~${c.betweenWindowsS} s around it: probes, figures, restores),`,
    `           ${starts} server starts ~${formatDuration(startS)}${opts.ceilings ? `, ceilings ~${formatDuration(ceilingS)}` : ''}${opts.embeddedDb ? `, embedded database ~${formatDuration(dbS)}` : ''}; disturbed windows measured again add to it`,
    `dry run: nothing started; estimated total ${formatDuration(loadS + startS + ceilingS + dbS)}`,
  ].join('\n');
}

/** Prints the plan and says the command may exit 0 without starting anything. */
export function printDryRun(kind: string, b: Schedule, opts: { ceilings: boolean; embeddedDb: boolean }): number {
  process.stdout.write(`${dryRunText(kind, b, opts)}\n`);
  return 0;
}
