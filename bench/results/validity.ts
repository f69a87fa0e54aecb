import { Type, type Static } from '@sinclair/typebox';
import { count, nonNegative, record } from './schema-kit.ts';

/**
 * Whether a measured window can be used in a verdict (DESIGN.md rule 12). `invalid`: the measurement is
 * broken (statuses that say the data or the contract is not what the scenario expects, or not one
 * expected answer). `disturbed`: processes outside the run took more than `thresholdPercent` of a core
 * meanwhile (the machine's CPU minus every process the run started or uses, PostgreSQL included).
 * Both are kept in the file and out of verdicts; nothing is dropped silently.
 */
export const ValiditySchema = Type.Object({
  /** Statuses the scenario does not expect, with their counts (a 503 of a target under load is one). */
  unexpectedStatuses: Type.Optional(record(count)),
  invalid: Type.Optional(Type.String({ minLength: 1 })), // why the window cannot be used
  /** CPU of processes outside the run over the window, % of one core; null: not measurable (external target). */
  foreignCpuPercent: Type.Union([Type.Null(), nonNegative]),
  foreignNote: Type.Optional(Type.String()), // why it is null, or what it could not see
  stealPercent: Type.Optional(nonNegative), // CPU the hypervisor gave to other machines, % of one core
  thresholdPercent: nonNegative,
  disturbed: Type.Boolean(),
  /** The first attempt at this window was disturbed (its foreign CPU): this one measured it again. */
  remeasuredAfter: Type.Optional(Type.Object({ foreignCpuPercent: nonNegative })),
});
export type Validity = Static<typeof ValiditySchema>;

/** A window a verdict may use: not invalid, not disturbed (files before validity existed: usable). */
export function usableRound(round: { validity?: Validity }): boolean {
  return round.validity === undefined || (round.validity.invalid === undefined && !round.validity.disturbed);
}

/** A window whose counts (queries, database work per request) a verdict may use: not invalid; disturbed is fine. */
export function countableRound(round: { validity?: Validity }): boolean {
  return round.validity?.invalid === undefined;
}
