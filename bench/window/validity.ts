/**
 * Whether a measured window says what it should (DESIGN.md rule 12), from its statuses. Pure.
 *
 * Unexpected: any status the scenario's requests do not expect on the seeded data (scenarios/catalog.ts
 * expectedStatuses; a 503 too when load shedding is on). Invalid, kept out of verdicts:
 * - an unexpected 4xx: the data or the contract is not what the scenario assumes (404s on ids that
 *   should exist: another run reseeded the table, or the target's data differs), so the window measured
 *   something else than it claims;
 * - not one expected answer: the target did not serve (every response a 5xx, or none at all).
 * A 5xx among expected answers is the target's own behaviour under the load (a pool timeout, shedding):
 * counted as unexpected and as errors, and left to the verdict, which sees the error rate. A window with
 * an injected fault is not judged on statuses: errors are what it measures.
 *
 * wrk without its response() callback (the default: bench/runners/wrk/runner.ts) reports two classes,
 * `<400` and `>399`: `<400` is an expected answer when the scenario expects a status below 400, `>399`
 * when it expects one from 400 up. A `>399` outside them is unexpected, but it may be a 4xx or a 5xx:
 * it counts as errors and never makes the window invalid on its own (the error rate shows it).
 */
import { expectedStatuses, type ScenarioName } from '../../scenarios/catalog.ts';
import type { Round } from '../results/types.ts';
import type { Validity } from '../results/validity.ts';

/** wrk's two status classes when it parses no status (bench/runners/wrk/parse.ts). */
const WRK_BELOW_400 = '<400';
const WRK_FROM_400 = '>399';

export function judgeStatuses(
  round: Round,
  how: { scenario: ScenarioName; shedding: boolean; faulted: boolean },
): Round {
  const base: Validity = round.validity ?? { foreignCpuPercent: null, thresholdPercent: 0, disturbed: false };
  if (how.faulted) return { ...round, validity: base };
  const expected = new Set(expectedStatuses(how.scenario));
  if (how.shedding) expected.add(503);
  const isExpected = (code: string): boolean =>
    code === WRK_BELOW_400
      ? [...expected].some((s) => s < 400)
      : code === WRK_FROM_400
        ? [...expected].some((s) => s >= 400)
        : expected.has(Number(code));
  const unexpected = Object.entries(round.statusCodes).filter(([code, n]) => n > 0 && !isExpected(code));
  const answered = Object.entries(round.statusCodes)
    .filter(([code]) => isExpected(code))
    .reduce((sum, [, n]) => sum + n, 0);
  const share = (n: number) => (round.requests > 0 ? `${((n / round.requests) * 100).toFixed(1)}%` : '—');
  const list = (codes: [string, number][]) => codes.map(([code, n]) => `${n} × ${code} (${share(n)})`).join(', ');
  const clientErrors = unexpected.filter(([code]) => code.startsWith('4'));
  const invalid =
    clientErrors.length > 0
      ? `${list(clientErrors)} of ${round.requests} responses: the data or the contract is not what the ${how.scenario} scenario assumes (ids that should exist, a seeded table of the run's size)`
      : answered === 0
        ? `not one expected answer (${round.requests} responses${unexpected.length > 0 ? `: ${list(unexpected)}` : ''}, ${round.errors} errors): the target did not serve`
        : undefined;
  return {
    ...round,
    validity: {
      ...(unexpected.length > 0 ? { unexpectedStatuses: Object.fromEntries(unexpected) } : {}),
      ...(invalid ? { invalid } : {}),
      ...base,
    },
  };
}
