import type { FunctionChange, Instructions, SideCount } from '../results/instructions.ts';
import { scenarioVerdict } from './verdict.ts';

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${int(Math.abs(x))}`;
const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}%`;

function side(s: SideCount): string {
  const n = s.irPerRequest.length;
  const span = (xs: readonly number[]) =>
    n > 1 ? `${int(Math.min(...xs))} … ${int(Math.max(...xs))}` : int(xs[0] ?? 0);
  const compile = s.compileIrPerRequest?.length
    ? `; besides: compiling ${span(s.compileIrPerRequest)}, GC ${span(s.gcIrPerRequest ?? [])}`
    : '';
  const sweep = s.sweepIrPerRequest?.some((v) => v > 0) ? `; of it, lazy sweeping ${span(s.sweepIrPerRequest)}` : '';
  return n === 1
    ? `${int(s.medianIrPerRequest)} (n=1${sweep}${compile})`
    : `${int(s.medianIrPerRequest)} (range ${int(s.minIrPerRequest)} … ${int(s.maxIrPerRequest)}, n=${n}${sweep}${compile})`;
}

function functionLines(title: string, rows: readonly FunctionChange[], key: 'Self' | 'Inclusive'): string[] {
  if (rows.length === 0) return [];
  return [
    `    ${title}:`,
    ...rows.map((r) => {
      const b = r[`base${key}Ir`];
      const h = r[`head${key}Ir`];
      return `      ${signed(h - b).padStart(12)}  ${r.name}  (${int(b)} → ${int(h)})`;
    }),
  ];
}

const compiled = (i: Instructions) =>
  i.status === 'counted' && i.scenarios.some((s) => s.base.compileIrPerRequest !== undefined);

/**
 * The gate's instructions section as plain lines (terminal and Markdown code block alike): per
 * scenario the two sides' medians with their ranges, the change and its verdict, and the functions
 * whose cost per request changed most, so that a reviewer sees where before how much.
 */
export function instructionsLines(i: Instructions, thresholdPct: number, functions = true): string[] {
  if (i.status === 'unavailable') return [`Instructions per request: n/a (${i.reason})`];
  const lines = [
    `Instructions per request (callgrind via ${i.method}, adapter ${i.adapter}, ${i.starts} server start${i.starts > 1 ? 's' : ''} per side,` +
      ` ${i.warmupRequests} warm-up + ${i.requests} counted requests per scenario, threshold ±${thresholdPct}%` +
      `${compiled(i) ? '; V8 compiling and collecting garbage inside the window left out, shown as “besides”' : ''}):`,
  ];
  for (const s of i.scenarios) {
    const v = scenarioVerdict(s, thresholdPct);
    const overlap = v.sweepingDecides
      ? ` (${pct(v.changeWithoutSweepingPct!)} without V8’s lazy sweeping, which a collection placed in a window:` +
        ` the sweeping decides it; more --instructions-starts decide)`
      : v.verdict === 'inconclusive'
        ? ` (past ±${thresholdPct}%, but the sides’ ranges overlap: one build’s starts moved as much; more --instructions-starts decide)`
        : '';
    lines.push(
      `  ${s.scenario}: base ${side(s.base)} → head ${side(s.head)}: ${pct(v.changePct)} ${v.verdict}${overlap}`,
    );
    if (functions && v.verdict !== 'same') {
      lines.push(
        ...functionLines('functions whose own cost changed most (instructions/request, base → head)', s.bySelf, 'Self'),
      );
      lines.push(...functionLines('and whose inclusive cost changed most (callers)', s.byInclusive, 'Inclusive'));
    }
  }
  return lines;
}

/** The same as Markdown: a heading, then the lines as a fenced block (function names keep their spacing). */
export function instructionsMarkdown(i: Instructions, thresholdPct: number): string[] {
  const [title, ...rest] = instructionsLines(i, thresholdPct);
  return rest.length === 0 ? [title!] : [`### ${title!.replace(/:$/, '')}`, '', '```', ...rest, '```'];
}
