/**
 * The errors of the fault modules, one catalogue (as src/errors.ts is for the API): a stable code and
 * what it means. Every one is bad input: the CLI answers it with its message and exit code 2.
 */
export const FAULT_ERRORS = {
  JOBBENCH_ERR_FAULT_SYNTAX: 'a --fault spec is not <kind>[=<value>]@<time>[-<time>]',
  JOBBENCH_ERR_FAULT_KIND: 'a --fault spec names a fault kind that does not exist',
  JOBBENCH_ERR_FAULT_VALUE: 'a fault value is missing, not allowed for its kind, or out of range',
  JOBBENCH_ERR_FAULT_TIMING:
    'a point fault was given a window or a window fault a point, or a window ends before it starts',
  JOBBENCH_ERR_FAULT_OUTSIDE_WINDOW: 'a fault does not start and clear inside the measured window',
  JOBBENCH_ERR_FAULT_OVERLAP: 'two faults of the same kind overlap in time',
} as const satisfies Record<`JOBBENCH_ERR_FAULT_${string}`, string>;

export type FaultErrorCode = keyof typeof FAULT_ERRORS;
export const FAULT_ERROR_CODES = Object.keys(FAULT_ERRORS) as FaultErrorCode[];

/** Bad --fault input: the message is one line naming the spec and what is valid. */
export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
  readonly exitCode = 2; // bad input (README "Exit codes")
  constructor(
    readonly code: FaultErrorCode,
    readonly spec: string,
    message: string,
  ) {
    super(message);
  }
}
