import type { Instructions, ScenarioInstructions, SideCount } from '../results/instructions.ts';
import { median } from '../stats/bootstrap.ts';

/** 0.5%: a count moves well under that between starts of one build, so that a 1% change is caught. */
export const DEFAULT_INSTRUCTIONS_THRESHOLD_PCT = 0.5;

export type InstructionVerdict = 'regressed' | 'improved' | 'same' | 'inconclusive';

export interface ScenarioVerdict {
  scenario: string;
  changePct: number; // head's median ÷ base's median − 1, in %
  verdict: InstructionVerdict;
  /** The two sides' ranges over starts overlap: the change is within what one build moves by. */
  rangesOverlap: boolean;
  /**
   * The change with V8's lazy sweeping taken out of both sides (jit.ts), when a side's window swept;
   * `sweepingDecides`: with and without it the verdicts differ, so the verdict is `inconclusive`.
   */
  changeWithoutSweepingPct?: number;
  sweepingDecides: boolean;
}

const pastThreshold = (changePct: number, thresholdPct: number) =>
  changePct > thresholdPct ? 'regressed' : changePct < -thresholdPct ? 'improved' : 'same';

/** A side's median over starts with its lazy sweeping taken out; undefined for files without the figure. */
function medianWithoutSweeping(c: SideCount): number | undefined {
  const sweep = c.sweepIrPerRequest;
  if (!sweep || sweep.length !== c.irPerRequest.length) return undefined;
  return median(c.irPerRequest.map((v, i) => v - sweep[i]!));
}

/**
 * The gate's verdict on instructions per request, per scenario: the median over starts of each side,
 * compared with a practical threshold in %. A change past the threshold is a verdict only when the two
 * sides' ranges over starts are apart; when they overlap, starts of one build moved as much as the change
 * (search: V8 compiled inside the counted window in one start, 2.4% apart; an A/A gate on 2026-12-07
 * read it as "+0.80% regressed"), and the verdict is `inconclusive`: more `--instructions-starts` decide.
 * Likewise when a side's window held lazy sweeping (a mark-compact's aftermath, placed by when the old
 * generation filled up) and the change with the sweeping taken out gets another verdict: the sweeping,
 * not the request path, decides it (aa-26 of gate-calibration-2026-12-07e: −0.50% "improved" with it).
 */
export function scenarioVerdict(s: ScenarioInstructions, thresholdPct: number): ScenarioVerdict {
  const changePct = (s.head.medianIrPerRequest / s.base.medianIrPerRequest - 1) * 100;
  const rangesOverlap =
    s.head.minIrPerRequest <= s.base.maxIrPerRequest && s.base.minIrPerRequest <= s.head.maxIrPerRequest;
  const past = pastThreshold(changePct, thresholdPct);
  const baseSwept = medianWithoutSweeping(s.base);
  const headSwept = medianWithoutSweeping(s.head);
  const swept = (c: SideCount) => c.sweepIrPerRequest?.some((v) => v > 0) ?? false;
  const changeWithoutSweepingPct =
    baseSwept !== undefined && headSwept !== undefined && (swept(s.base) || swept(s.head))
      ? (headSwept / baseSwept - 1) * 100
      : undefined;
  const sweepingDecides =
    changeWithoutSweepingPct !== undefined && pastThreshold(changeWithoutSweepingPct, thresholdPct) !== past;
  const verdict = (past !== 'same' && rangesOverlap) || sweepingDecides ? 'inconclusive' : past;
  return {
    scenario: s.scenario,
    changePct,
    verdict,
    rangesOverlap,
    ...(changeWithoutSweepingPct !== undefined ? { changeWithoutSweepingPct } : {}),
    sweepingDecides,
  };
}

/** Whether the instructions metric fails the gate: any scenario regressed. "unavailable" never fails it. */
export function instructionsPassed(i: Instructions, thresholdPct: number): boolean {
  return i.status !== 'counted' || i.scenarios.every((s) => scenarioVerdict(s, thresholdPct).verdict !== 'regressed');
}

/** One line naming what regressed, for the gate's stdout: "instructions/request regressed: get-job +1.02%". */
export function regressedInstructions(i: Instructions, thresholdPct: number): string {
  if (i.status !== 'counted') return '';
  const worse = i.scenarios
    .map((s) => scenarioVerdict(s, thresholdPct))
    .filter((v) => v.verdict === 'regressed')
    .map((v) => `${v.scenario} +${v.changePct.toFixed(2)}%`);
  return `instructions/request regressed (threshold ${thresholdPct}%): ${worse.join(', ')}`;
}
