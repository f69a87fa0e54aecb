/** The shape of every CLI command module (cli/commands/<name>.ts). */
export interface Command {
  name: string;
  summary: string; // one line, shown by `jobbench --help`
  help: string; // full text, shown by `jobbench <name> --help`
  run(argv: string[]): Promise<number>; // exit code: 0 ok, 1 gate/SLO failed, 2 bad input or invalid run
}

/** Thrown for bad CLI input; main prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = { ok: 0, gateFailed: 1, badInput: 2 } as const;
