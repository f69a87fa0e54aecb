import type { Instructions, ScenarioInstructions } from '../results/instructions.ts';

/** 0.5%: a count moves well under that between starts of one build, so that a 1% change is caught. */
export const DEFAULT_INSTRUCTIONS_THRESHOLD_PCT = 0.5;

export type InstructionVerdict = 'regressed' | 'improved' | 'same' | 'inconclusive';

export interface ScenarioVerdict {
  scenario: string;
  changePct: number; // head's median ÷ base's median − 1, in %
  verdict: InstructionVerdict;
  /** The two sides' ranges over starts overlap: the change is within what one build moves by. */
  rangesOverlap: boolean;
}

/**
 * The gate's verdict on instructions per request, per scenario: the median over starts of each side,
 * compared with a practical threshold in %. A change past the threshold is a verdict only when the two
 * sides' ranges over starts are apart; when they overlap, starts of one build moved as much as the change
 * (search: V8 compiled inside the counted window in one start, 2.4% apart; an A/A gate on 2026-12-07
 * read it as "+0.80% regressed"), and the verdict is `inconclusive`: more `--instructions-starts` decide.
 */
export function scenarioVerdict(s: ScenarioInstructions, thresholdPct: number): ScenarioVerdict {
  const changePct = (s.head.medianIrPerRequest / s.base.medianIrPerRequest - 1) * 100;
  const rangesOverlap =
    s.head.minIrPerRequest <= s.base.maxIrPerRequest && s.base.minIrPerRequest <= s.head.maxIrPerRequest;
  const past = changePct > thresholdPct ? 'regressed' : changePct < -thresholdPct ? 'improved' : 'same';
  const verdict = past !== 'same' && rangesOverlap ? 'inconclusive' : past;
  return { scenario: s.scenario, changePct, verdict, rangesOverlap };
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
