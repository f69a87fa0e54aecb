import type { Results } from '../results/types.ts';

/**
 * How much of a partial run (running or aborted) a results file holds, in one phrase every renderer
 * prints: "incomplete: 3 of 8 windows" or, when the total was not known in advance (a capacity
 * search), "incomplete: 3 windows so far (capacity: 1 of 2 searches finished)". Undefined when complete.
 */
export function incompleteNote(results: Results): string | undefined {
  if (results.status === 'complete') return undefined;
  const p = results.progress;
  // Files written before `progress` existed: count what they hold.
  const done =
    p?.windowsDone ?? results.cells.reduce((n, c) => n + c.rounds.length, 0) + (results.failedWindows?.length ?? 0);
  const planned = p?.windowsPlanned ?? null;
  const count = planned === null ? `${done} window${done === 1 ? '' : 's'} so far` : `${done} of ${planned} windows`;
  return `incomplete: ${count}${p?.stage ? ` (${p.stage})` : ''}`;
}

/** The one line that opens every report of a partial run: what it is and how much it holds. */
export function partialBanner(results: Results): string | undefined {
  const note = incompleteNote(results);
  if (note === undefined) return undefined;
  return results.status === 'running'
    ? `PARTIAL RESULTS: run ${results.runId} is still RUNNING (or was killed); ${note}. The numbers below cover the windows completed so far.`
    : `PARTIAL RESULTS: run ${results.runId} was ABORTED; ${note}. The numbers below cover only what was measured before it stopped.`;
}
