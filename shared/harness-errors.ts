/**
 * The catalogue of the CLI and harness errors: every error that `jobbench <command>` reports to a
 * person has a stable code and an exit code here (the API's HTTP errors are src/errors.ts).
 * README "Exit codes and error codes" lists the same codes; test/harness-errors.test.ts keeps the two
 * in sync. In shared/ because src/ (ConfigError, ServerStartError) throws them and imports no bench/.
 * An error outside the catalogue is a bug: the CLI prints its stack and exits 1.
 */
export const HARNESS_ERRORS = {
  JOBBENCH_CLI_ERR_USAGE: { exitCode: 2, message: 'A flag, argument or subcommand is invalid' },
  JOBBENCH_CLI_ERR_CONFIG: { exitCode: 2, message: 'An environment variable or a setting is invalid' },
  JOBBENCH_CLI_ERR_RESULTS_FILE: {
    exitCode: 2,
    message: 'A results file is missing, unreadable, truncated or does not match the schema',
  },
  JOBBENCH_CLI_ERR_K6: { exitCode: 2, message: 'k6 failed, or did not behave like the jobbench script' },
  JOBBENCH_CLI_ERR_SERVER_START: { exitCode: 2, message: 'An API server could not start' },
  JOBBENCH_CLI_ERR_DB_UNREACHABLE: { exitCode: 2, message: 'The database does not answer' },
  JOBBENCH_CLI_ERR_DB_START: { exitCode: 2, message: 'The embedded or Docker database could not start' },
  JOBBENCH_CLI_ERR_DB_PREPARE: { exitCode: 2, message: 'The database could not be migrated or seeded' },
  JOBBENCH_CLI_ERR_DB_ALREADY_UP: { exitCode: 2, message: 'A `jobbench db up` is already running in this folder' },
  JOBBENCH_CLI_ERR_DB_IN_USE: { exitCode: 2, message: 'Another jobbench benchmark is using this database' },
  JOBBENCH_CLI_ERR_CONTRACT: {
    exitCode: 2,
    message: 'A target does not serve the job API contract on a route the scenarios use',
  },
  JOBBENCH_CLI_ERR_TOOL_MISSING: { exitCode: 2, message: 'A tool or dependency that this command needs is missing' },
  JOBBENCH_CLI_ERR_GIT_REF: { exitCode: 2, message: 'A git ref does not name a commit of this repository' },
  JOBBENCH_CLI_ERR_GATE_CHECKOUT: {
    exitCode: 2,
    message: 'A revision could not be checked out, installed or given its database',
  },
  JOBBENCH_CLI_ERR_FAULT: {
    exitCode: 2,
    message: 'A --fault spec is invalid, or the fault cannot be applied to this database',
  },
} as const satisfies Record<string, { exitCode: number; message: string }>;

export type HarnessErrorCode = keyof typeof HARNESS_ERRORS;
export const HARNESS_ERROR_CODES = Object.keys(HARNESS_ERRORS) as HarnessErrorCode[];

/** The one base class: callers tell errors apart by `code`; subclasses exist only for `instanceof` callers. */
export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  readonly exitCode: number;

  constructor(code: HarnessErrorCode, message: string = HARNESS_ERRORS[code].message, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
    this.exitCode = HARNESS_ERRORS[code].exitCode;
  }
}

export function isHarnessError(err: unknown): err is HarnessError {
  return err instanceof HarnessError;
}

/** A cause on one line, for a catalogued message: driver and initdb errors can run over several lines. */
export function oneLine(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  // net's AggregateError (localhost on ::1 and 127.0.0.1) has an empty message and the reasons inside.
  const text = e?.message || e?.errors?.map((x) => x.message).join('; ') || e?.code || String(err);
  return text.replace(/\s*\n\s*/g, ' | ').trim();
}
